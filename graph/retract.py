"""A load of a complete source is a snapshot: what its scope no longer states is retracted.

A scope names one source and dataset (``curated``, ``gtopdb:interactions.csv``...). Every node
and edge a load writes carries its scope in ``loaded_by``; at the end of the load,
``retract_stale`` removes what the scope stated before and no longer states: its edges, then its
nodes (a node stays while another scope states it or an edge still needs it). Statements of
other scopes are never touched, so loading PubMed records leaves the curated edges alone.

The writer calls it in the load's own transaction (an atomic load) or after the last batch (a
per-batch load), so a failed load retracts nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from neo4j import ManagedTransaction, Transaction

from graph.cypher import writes as cypher

logger = logging.getLogger(__name__)

Tx = Transaction | ManagedTransaction

# A graph loaded before scopes existed has no ``loaded_by``: the curated scope adopts what the
# curated dataset's source stated then (it was the only dataset aggregated under it), so the
# first load after an upgrade retracts the old statements too (every edge id changed).
LEGACY_SOURCES = {"curated": "infores:pharmakg"}


@dataclass(frozen=True)
class Retraction:
    """One statement a scope no longer makes: an edge (with its ends) or a node."""

    id: str
    kind: str  # "edge" or "node"
    deleted: bool  # False: another scope still states it (only this scope's claim went)
    description: str = ""

    def __str__(self) -> str:
        kept = "" if self.deleted else " (still stated by another source)"
        return f"{self.kind} {self.id} {self.description}".rstrip() + kept


def retract_stale(
    tx: Tx, scope: str, kept_edges: Collection[str], kept_nodes: Collection[str]
) -> list[Retraction]:
    """Remove what ``scope`` stated before this load and does not state now; say what."""
    found = [
        Retraction(
            row["id"],
            "edge",
            row["deleted"],
            f"{row['subject']} -[{row['type']}]-> {row['object']}",
        )
        for row in tx.run(
            cypher.RETRACT_EDGES,
            scope=scope,
            kept=list(kept_edges),
            legacy=LEGACY_SOURCES.get(scope),
        )
    ]
    found += [
        Retraction(row["id"], "node", row["deleted"])
        for row in tx.run(
            cypher.RETRACT_NODES,
            scope=scope,
            kept=list(kept_nodes),
            legacy=LEGACY_SOURCES.get(scope),
        )
    ]
    logger.info(
        "retracted from scope %s: %d edges (%d deleted), %d nodes (%d deleted)",
        scope,
        sum(r.kind == "edge" for r in found),
        sum(r.kind == "edge" and r.deleted for r in found),
        sum(r.kind == "node" for r in found),
        sum(r.kind == "node" and r.deleted for r in found),
    )
    return found
