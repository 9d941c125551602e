"""Counts of what the graph holds: per label, per relationship type, uncited edges."""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import Driver

from graph import cypher


@dataclass(frozen=True)
class GraphStats:
    nodes: dict[str, int]
    edges: dict[str, int]
    uncited_edges: int

    @property
    def node_total(self) -> int:
        return sum(self.nodes.values())

    @property
    def edge_total(self) -> int:
        return sum(self.edges.values())


def graph_stats(driver: Driver, *, database: str | None = None) -> GraphStats:
    with driver.session(database=database, default_access_mode="READ") as session:
        nodes = {r["label"]: r["count"] for r in session.run(cypher.COUNT_BY_LABEL)}
        rows = list(session.run(cypher.COUNT_BY_TYPE))
    return GraphStats(
        nodes=nodes,
        edges={r["type"]: r["count"] for r in rows},
        uncited_edges=sum(r["uncited"] for r in rows),
    )


def server_version(driver: Driver, *, database: str | None = None) -> str:
    with driver.session(database=database, default_access_mode="READ") as session:
        record = session.run(cypher.SERVER_VERSION).single(strict=True)
    return f"{record['name']} {record['version']} {record['edition']}"


def delete_all(driver: Driver, *, database: str | None = None) -> None:
    """Empty the database (tests and benchmarks); batched so a large graph fits in memory."""
    with driver.session(database=database) as session:
        session.run(cypher.DELETE_ALL_BATCHED).consume()
