"""Stored rows back to ontology records, and the synchronous reads of the CLI and the scripts.

Two ways back from a row: ``node_from_row`` / ``edge_from_row`` validate (the RDF export, the
synchronous reads here: a stored value no longer valid fails loudly), ``stored_node`` /
``stored_edge`` do not (the API's reads, ``graph.reads``: only validated records are written).
The API's own reads are async and live in ``graph.reads``; the statements in ``graph.cypher``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from typing import Any, Generic, TypeVar, get_args, get_origin

from neo4j import Driver
from pydantic import BaseModel

from graph.cypher import reads as cypher
from ontology.records import Edge, Node, Provenance
from ontology.vocab import (
    ACTIVITY_PREDICATES,
    CATEGORIES,
    PREDICATES,
    Category,
    Predicate,
    category_of_label,
    predicate_of_type,
)

_NODE_FIELDS = frozenset(Node.model_fields) - {"category"}
_PROVENANCE_FIELDS = frozenset(Provenance.model_fields)
_EDGE_FIELDS = frozenset(Edge.model_fields) - {"subject", "object", "predicate", "provenance"}


def _converters(model: type[BaseModel]) -> dict[str, Callable[[Any], Any]]:
    """How each field whose stored form is not its own type comes back: enums from their
    values, dates from ISO text, tuples from lists (read from the model, so none is missed)."""
    found: dict[str, Callable[[Any], Any]] = {}
    for name, info in model.model_fields.items():
        for kind in (info.annotation, *get_args(info.annotation)):
            if isinstance(kind, type) and issubclass(kind, Enum):
                found[name] = _member_of(kind)
            elif kind is date:
                found[name] = date.fromisoformat
            elif get_origin(kind) is tuple:
                found[name] = tuple
    return found


def _member_of(kind: type[Enum]) -> Callable[[Any], Enum]:
    """``kind(value)`` by a dict lookup (the enum's own call costs a microsecond a value); an
    unknown value still goes through the call, which raises its ``ValueError``."""
    members = kind._value2member_map_

    def member(value: Any) -> Enum:
        try:
            return members[value]
        except (KeyError, TypeError):  # unknown or unhashable: the enum's own error
            return kind(value)

    return member


_NODE_CONVERT = _converters(Node)
_EDGE_CONVERT = _converters(Edge)
_PROVENANCE_CONVERT = _converters(Provenance)
# The node fields whose stored property is the record's value as it is (absent: None).
STORED_AS_IS = frozenset(
    name
    for name in _NODE_FIELDS - set(_NODE_CONVERT)
    if Node.model_fields[name].is_required() or Node.model_fields[name].default is None
)
_CATEGORY_OF_LABEL = {info.label: category for category, info in CATEGORIES.items()}
_PREDICATE_OF_TYPE = {info.rel_type: predicate for predicate, info in PREDICATES.items()}

M = TypeVar("M", bound=BaseModel)
_set = object.__setattr__


class _Constructor(Generic[M]):
    """``model.model_construct`` without its loop over every field per call (the defaults are
    taken once): the read path builds thousands of records a second, and pydantic's own
    construction costs more than its validation. The round-trip test checks the result."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.defaults = {
            name: info.get_default(call_default_factory=True)
            for name, info in model.model_fields.items()
            if not info.is_required()
        }

    def __call__(self, values: dict[str, Any]) -> M:
        record = self.model.__new__(self.model)
        _set(record, "__dict__", {**self.defaults, **values})
        _set(record, "__pydantic_fields_set__", set(values))
        _set(record, "__pydantic_extra__", None)
        _set(record, "__pydantic_private__", None)
        return record


_NODE = _Constructor(Node)
_EDGE = _Constructor(Edge)
_PROVENANCE = _Constructor(Provenance)


def _stored(
    props: dict[str, Any], names: frozenset[str], convert: dict[str, Callable[[Any], Any]]
) -> dict[str, Any]:
    fields = {k: v for k, v in props.items() if k in names and v is not None}
    for name, to_type in convert.items():  # a few names: cheaper than a set intersection
        if name in fields:
            fields[name] = to_type(fields[name])
    return fields


def stored_category(label: str) -> Category:
    """The category of a stored node's label (an unknown label raises ``ValueError``)."""
    return _CATEGORY_OF_LABEL.get(label) or category_of_label(label)


def stored_predicate(rel_type: str) -> Predicate:
    """The predicate of a stored relationship's type (an unknown type raises ``ValueError``)."""
    return _PREDICATE_OF_TYPE.get(rel_type) or predicate_of_type(rel_type)


def stored_node(label: str, props: dict[str, Any]) -> Node:
    """``node_from_row`` without re-validation, for the API's reads: the graph holds only
    records validated when they were written. Values are still converted to their types (an
    enum value this version does not know raises ``ValueError``); unknown keys are dropped."""
    return _NODE(
        {"category": stored_category(label), **_stored(props, _NODE_FIELDS, _NODE_CONVERT)}
    )


def stored_edge(subject: str, rel_type: str, obj: str, props: dict[str, Any]) -> Edge:
    """``edge_from_row`` without re-validation (see ``stored_node``)."""
    predicate = stored_predicate(rel_type)
    provenance = _PROVENANCE(_stored(props, _PROVENANCE_FIELDS, _PROVENANCE_CONVERT))
    return _EDGE(
        {
            "subject": subject,
            "predicate": predicate,
            "object": obj,
            "provenance": provenance,
            **_stored(props, _EDGE_FIELDS, _EDGE_CONVERT),
        }
    )


def node_from_row(label: str, props: dict[str, Any]) -> Node:
    """Rebuild a Node from its Neo4j label and properties (storage-only keys dropped)."""
    fields = {k: v for k, v in props.items() if k in _NODE_FIELDS}
    for listed in ("synonyms", "xrefs"):
        fields[listed] = tuple(fields.get(listed) or ())
    return Node(category=category_of_label(label), **fields)


def edge_from_row(subject: str, rel_type: str, obj: str, props: dict[str, Any]) -> Edge:
    """Rebuild an Edge from a relationship's type, endpoints and flat properties."""
    provenance = {k: v for k, v in props.items() if k in _PROVENANCE_FIELDS}
    for listed in ("publications", "aggregator_knowledge_sources"):
        provenance[listed] = tuple(provenance.get(listed) or ())
    fields = {k: v for k, v in props.items() if k in _EDGE_FIELDS}
    return Edge(
        subject=subject,
        predicate=predicate_of_type(rel_type),
        object=obj,
        provenance=Provenance(**provenance),
        **fields,
    )


def get_nodes(
    driver: Driver, ids: Sequence[str], *, database: str | None = None
) -> list[Node | None]:
    """The nodes with these ids, aligned with ``ids`` (None where absent), validated."""
    with driver.session(database=database, default_access_mode="READ") as session:
        rows = {r["id"]: r for r in session.run(cypher.NODES_BY_IDS, ids=list(dict.fromkeys(ids)))}
    return [
        node_from_row(rows[i]["label"], rows[i]["props"])
        if i in rows and rows[i]["label"]
        else None
        for i in ids
    ]


_LUCENE_ESCAPES = str.maketrans({c: f"\\{c}" for c in '+-&|!(){}[]^"~*?:\\/'})


def lucene_escape(text: str) -> str:
    """Escape Lucene query syntax so user text is searched as words, never as a query."""
    return text.translate(_LUCENE_ESCAPES)


def all_xrefs(
    driver: Driver, *, database: str | None = None
) -> list[tuple[str, list[str], Category]]:
    """Every node that has cross-references, with its category, for identity resolution
    before a load."""
    with driver.session(database=database, default_access_mode="READ") as session:
        return [
            (r["id"], list(r["xrefs"]), category_of_label(r["label"]))
            for r in session.run(cypher.ALL_XREFS)
        ]


def alkaloid_receptor_activity(driver: Driver, *, database: str | None = None) -> list[Edge]:
    """Every activity edge from an alkaloid to a receptor: what the receptor profile shows."""
    types = sorted(PREDICATES[p].rel_type for p in ACTIVITY_PREDICATES)
    with driver.session(database=database, default_access_mode="READ") as session:
        rows = list(session.run(cypher.ALKALOID_RECEPTOR_ACTIVITY, types=types))
    return [edge_from_row(r["subject"], r["type"], r["object"], r["props"]) for r in rows]
