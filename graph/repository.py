"""Reads for the API and the exports: ids in, ontology records out, in key order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import Driver

from graph import cypher
from ontology.records import Edge, Node, Provenance
from ontology.vocab import (
    ACTIVITY_PREDICATES,
    PREDICATES,
    Category,
    category_of_label,
    predicate_of_type,
)

_NODE_FIELDS = frozenset(Node.model_fields) - {"category"}
_PROVENANCE_FIELDS = frozenset(Provenance.model_fields)
_EDGE_FIELDS = frozenset(Edge.model_fields) - {"subject", "object", "predicate", "provenance"}


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
    return Edge(subject=subject, predicate=predicate_of_type(rel_type), object=obj,
                provenance=Provenance(**provenance), **fields)


def get_nodes(driver: Driver, ids: Sequence[str], *, database: str | None = None
              ) -> list[Node | None]:
    """The nodes with these ids, aligned with ``ids`` (None where absent): DataLoader-ready."""
    with driver.session(database=database, default_access_mode="READ") as session:
        rows = {r["id"]: r for r in session.run(cypher.NODES_BY_IDS, ids=list(ids))}
    return [node_from_row(rows[i]["label"], rows[i]["props"]) if rows.get(i) and
            rows[i]["label"] else None for i in ids]


def neighbourhood(driver: Driver, curie: str, *, limit: int = 500,
                  database: str | None = None) -> list[Edge]:
    """The edges touching a node, in a stable order."""
    with driver.session(database=database, default_access_mode="READ") as session:
        rows = list(session.run(cypher.NEIGHBOURHOOD, id=curie, limit=limit))
    return [edge_from_row(r["subject"], r["type"], r["object"], r["props"]) for r in rows]


def search(driver: Driver, text: str, *, limit: int = 20,
           database: str | None = None) -> list[tuple[str, float]]:
    """Ranked full-text matches over names, synonyms, titles and symbols."""
    with driver.session(database=database, default_access_mode="READ") as session:
        rows = list(session.run(cypher.SEARCH, {"query": lucene_escape(text), "limit": limit}))
    return [(r["id"], r["score"]) for r in rows]


_LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/')


def lucene_escape(text: str) -> str:
    """Escape Lucene query syntax so user text is searched as words, never as a query."""
    return "".join(f"\\{c}" if c in _LUCENE_SPECIAL else c for c in text)


def all_xrefs(driver: Driver, *, database: str | None = None
              ) -> list[tuple[str, list[str], Category]]:
    """Every node that has cross-references, with its category, for identity resolution
    before a load."""
    with driver.session(database=database, default_access_mode="READ") as session:
        return [(r["id"], list(r["xrefs"]), category_of_label(r["label"]))
                for r in session.run(cypher.ALL_XREFS)]


def alkaloid_receptor_activity(driver: Driver, *, database: str | None = None) -> list[Edge]:
    """Every activity edge from an alkaloid to a receptor: what the receptor profile shows."""
    types = sorted(PREDICATES[p].rel_type for p in ACTIVITY_PREDICATES)
    with driver.session(database=database, default_access_mode="READ") as session:
        rows = list(session.run(cypher.ALKALOID_RECEPTOR_ACTIVITY, types=types))
    return [edge_from_row(r["subject"], r["type"], r["object"], r["props"]) for r in rows]
