"""Counts of what the graph holds (per label, per relationship type, uncited edges), the
server's version, and emptying the database."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from neo4j import AsyncDriver, Driver

from graph import version as graph_version
from graph.cypher import reads, writes

logger = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class ServerVersion:
    name: str
    version: str
    edition: str


def graph_stats(driver: Driver, *, database: str | None = None) -> GraphStats:
    with driver.session(database=database, default_access_mode="READ") as session:
        nodes = {r["label"]: r["count"] for r in session.run(reads.COUNT_BY_LABEL)}
        rows = list(session.run(reads.COUNT_BY_TYPE))
    return GraphStats(
        nodes=nodes,
        edges={r["type"]: r["count"] for r in rows},
        uncited_edges=sum(r["uncited"] for r in rows),
    )


async def server_version(driver: AsyncDriver, *, database: str | None = None) -> ServerVersion:
    """Neo4j's name, version and edition (the API's health check); driver errors pass through."""
    async with driver.session(database=database, default_access_mode="READ") as session:
        result = await session.run(reads.SERVER_VERSION)
        record = await result.single(strict=True)
    return ServerVersion(record["name"], record["version"], record["edition"])


def delete_all(driver: Driver, *, database: str | None = None) -> None:
    """Empty the database (tests and benchmarks); batched so a large graph fits in memory."""
    with driver.session(database=database) as session:
        session.run(writes.DELETE_ALL_BATCHED).consume()
    graph_version.wait_out_leases()  # the token is gone with the rest
    logger.info("emptied the database %s", database or "(default)")
