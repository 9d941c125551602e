"""Records as flat rows: one column per property, for CSV, TSV and pandas or R users.

The columns are derived from the field declarations (``ontology.fields``: ``Node``, ``Edge``
and its ``Provenance`` inlined), in their order, the same derivation the bulk importer's
columns use (``graph.bulk``), so a field added to a record gets its column everywhere without
an edit here. Cells: lists joined with ``|``, booleans ``true``/``false``, absent
values empty, enums by their value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from enum import Enum
from types import NoneType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from ontology.fields import NODE_KEYS, edge_property_fields, node_property_fields
from ontology.records import Edge, Node, Provenance
from ontology.vocab import CATEGORIES

LIST_DELIMITER = "|"

_EDGE_KEYS = ("id", "subject", "predicate", "object")
_EDGE_NESTED = "provenance"


class UnwritableValueError(ValueError):
    """A value a flat file would read back differently; it names the record and column."""


def node_columns() -> list[str]:
    """``id``, ``category``, every other Node field, then ``sources`` (every contributor)."""
    return [*NODE_KEYS, *(spec.name for spec in node_property_fields()), "sources"]


def edge_columns() -> list[str]:
    """``id``, ``subject``, ``predicate``, ``object``, the Edge fields, the provenance fields."""
    return [*_EDGE_KEYS, *(spec.name for spec in edge_property_fields())]


def node_row(node: Node, sources: Sequence[str] = ()) -> dict[str, Any]:
    """A node's values by column (JSON types: enums as values, tuples as lists)."""
    row: dict[str, Any] = node.model_dump(mode="json")
    row["sources"] = list(sources) or [node.source]
    return {column: row.get(column) for column in node_columns()}


def edge_row(edge: Edge, edge_id: str | None = None) -> dict[str, Any]:
    """An edge's values by column, provenance inlined; ``edge_id`` is the id it is stored as."""
    row: dict[str, Any] = edge.model_dump(mode="json", exclude={_EDGE_NESTED})
    row.update(edge.provenance.model_dump(mode="json"))
    row["id"] = edge_id or edge.id
    return {column: row.get(column) for column in edge_columns()}


def cell(value: Any, *, record: str = "?", column: str = "?") -> str:
    """One flat cell; a list element holding the delimiter is refused, naming where."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, list):
        for element in value:
            if LIST_DELIMITER in str(element):
                raise UnwritableValueError(
                    f"{record}: {column} element {element!r} contains the list delimiter "
                    f"{LIST_DELIMITER!r}"
                )
        return LIST_DELIMITER.join(str(element) for element in value)
    return str(value)


def cells(row: dict[str, Any], columns: Sequence[str]) -> list[str]:
    record = str(row.get("id", "?"))
    return [cell(row.get(column), record=record, column=column) for column in columns]


# -- the data dictionary ---------------------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, UnionType):
        (inner,) = (a for a in get_args(annotation) if a is not NoneType)
        return _unwrap(inner)
    return annotation


def kind(annotation: Any) -> str:
    """A reader's description of a field's type: text, integer, list of ..., one of ..."""
    inner = _unwrap(annotation)
    if get_origin(inner) is tuple:
        return f"list of {kind(get_args(inner)[0])} (joined with {LIST_DELIMITER})"
    if isinstance(inner, type) and issubclass(inner, Enum):
        return "one of: " + ", ".join(str(member.value) for member in inner)
    names = {
        bool: "boolean (true/false)",
        int: "integer",
        float: "number",
        date: "date (YYYY-MM-DD)",
    }
    return names.get(inner, "text")


def _field_kind(model: type[BaseModel], name: str) -> str:
    return kind(model.model_fields[name].annotation)


def node_dictionary() -> list[tuple[str, str, str]]:
    """(column, type, which categories carry it) for nodes.csv."""
    out = []
    for column in node_columns():
        if column == "sources":
            out.append(
                (
                    column,
                    f"list of text (joined with {LIST_DELIMITER})",
                    "every source that contributed the node (infores CURIEs)",
                )
            )
            continue
        carriers = sorted(info.label for info in CATEGORIES.values() if column in info.attributes)
        attribute = any(column in info.attributes for info in CATEGORIES.values())
        where = ", ".join(carriers) if attribute else "every node"
        out.append((column, _field_kind(Node, column), where))
    return out


def edge_dictionary() -> list[tuple[str, str, str]]:
    """(column, type, where it comes from) for edges.csv."""
    out = [("id", "text", "the edge's stable id (a digest of what identifies the statement)")]
    for column in edge_columns()[1:]:
        if column in Provenance.model_fields:
            out.append((column, _field_kind(Provenance, column), "provenance"))
        else:
            out.append((column, _field_kind(Edge, column), "the statement"))
    return out
