"""Records as KGX, the Biolink exchange format of Translator, ROBOKOP and RTX-KG2.

A KGX node or edge is the record's flat row (``ontology.table``) with Biolink's names where
Biolink has a slot for the property: ``category`` (the Biolink class), ``predicate`` (the
Biolink slot), ``provided_by``, ``synonym``, ``xref``, ``aggregator_knowledge_source``; the
provenance slots ``primary_knowledge_source``, ``knowledge_level``, ``agent_type`` and
``publications`` keep their names. PharmaKG's own category and predicate, more precise than
Biolink's (a receptor and an enzyme are both ``biolink:Protein``), travel as
``pharmakg_category`` and ``pharmakg_predicate``. Every other property keeps its name.

TSV: one ``nodes.tsv`` and one ``edges.tsv``, lists joined with ``|`` (KGX's delimiter).
JSON Lines: one object per line, absent values left out, lists as JSON arrays.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ontology import table
from ontology.biolink import class_curie, slot_curie
from ontology.records import Edge, Node
from ontology.vocab import Category, Predicate

# Our column -> KGX's name for it (Biolink slots); everything else keeps its name.
_RENAMED = {
    "category": "pharmakg_category",
    "sources": "provided_by",
    "synonyms": "synonym",
    "xrefs": "xref",
    "predicate": "pharmakg_predicate",
    "aggregator_knowledge_sources": "aggregator_knowledge_source",
}
_FIRST_NODE = ("id", "category")
_FIRST_EDGE = ("id", "subject", "predicate", "object")


def _name(column: str) -> str:
    return _RENAMED.get(column, column)


def node_columns() -> list[str]:
    """``id``, ``category`` (Biolink), then every node column under its KGX name."""
    return [*_FIRST_NODE, *(_name(c) for c in table.node_columns() if c != "id")]


def edge_columns() -> list[str]:
    """``id``, ``subject``, ``predicate`` (Biolink), ``object``, then every edge column."""
    rest = (_name(c) for c in table.edge_columns() if c not in ("id", "subject", "object"))
    return [*_FIRST_EDGE, *rest]


def node_record(node: Node, sources: Sequence[str] = ()) -> dict[str, Any]:
    row = {_name(k): v for k, v in table.node_row(node, sources).items()}
    row["category"] = [class_curie(Category(node.category))]
    return {column: row[column] for column in node_columns()}


def edge_record(edge: Edge, edge_id: str | None = None) -> dict[str, Any]:
    row = {_name(k): v for k, v in table.edge_row(edge, edge_id).items()}
    row["predicate"] = slot_curie(Predicate(edge.predicate))
    return {column: row[column] for column in edge_columns()}


def tsv_cells(record: dict[str, Any], columns: Sequence[str]) -> list[str]:
    return table.cells(record, columns)


def json_line(record: dict[str, Any]) -> str:
    """One JSON Lines line: absent values and empty lists left out, keys in column order."""
    kept = {k: v for k, v in record.items() if v is not None and v != []}
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":")) + "\n"
