"""The API's lean Bolt reads against a real Neo4j: the driver's rows, its errors, the version."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import AsyncGraphDatabase, Driver
from neo4j.graph import Node

from api.app import create_app
from graph import reads
from graph import version as graph_version
from graph.cypher import VERSION_LABEL
from graph.lean_bolt import LeanError, LeanReads, RefusedError, lean_for
from graph.reads import QueryTimeoutError, ReadError
from tests.conftest import Neo4jEndpoint
from tests.integration.graphql.conftest import make_settings, serve
from tests.integration.graphql.test_compiled import COMPILED, EXECUTED

pytestmark = pytest.mark.asyncio(loop_scope="session")

TIMEOUT = 5.0
SLOW = "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 100 RETURN count(x) AS n"


def lean(
    endpoint: Neo4jEndpoint, password: str | None = None, timeout: float = TIMEOUT
) -> LeanReads:
    made = lean_for(endpoint.uri, (endpoint.user, password or endpoint.password), None, timeout)
    assert made is not None, endpoint.uri
    return made


class Comparing:
    """Lean reads that also read every statement through the driver and compare the rows."""

    def __init__(self, lean: LeanReads, driver: Any) -> None:
        self.lean, self.driver = lean, driver
        self.compared = 0

    async def fetch(self, query: str, params: Any) -> list[dict[str, Any]]:
        rows = await self.lean.fetch(query, params)
        assert rows == await reads.fetch(reads.Reader(self.driver), query, params), query
        self.compared += 1
        return rows

    async def close(self) -> None:
        await self.lean.close()


@pytest.mark.parametrize("questions", [COMPILED, EXECUTED], ids=["compiled", "executed"])
async def test_every_statement_of_the_api_reads_what_the_driver_reads(
    curated_db: Driver, neo4j_endpoint: Neo4jEndpoint, questions: dict[str, Any]
) -> None:
    del curated_db
    app = create_app(make_settings(neo4j_endpoint, PHARMAKG_RESPONSE_CACHE_MB=64))
    async with serve(app) as client:
        comparing = Comparing(app.state.lean_reads, app.state.driver)
        app.state.lean_reads = comparing
        for query, variables in questions.values():
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            assert response.status_code == 200
        assert comparing.compared > len(questions)  # the version and the answers' reads


async def test_reads_the_version_the_driver_reads_and_sees_every_bump(
    clean_db: Driver, neo4j_endpoint: Neo4jEndpoint
) -> None:
    reader = lean(neo4j_endpoint)
    async_driver = AsyncGraphDatabase.driver(
        neo4j_endpoint.uri, auth=(neo4j_endpoint.user, neo4j_endpoint.password)
    )
    through = reads.Reader(async_driver, lean=reader)
    try:
        assert await graph_version.read(through) is None  # never loaded: no version
        first = graph_version.bump(clean_db)
        assert await graph_version.read(through) == first == graph_version.current(clean_db)
        second = graph_version.bump(clean_db)  # on the same, open connection
        assert await graph_version.read(through) == second != first
        clean_db.execute_query(f"MATCH (v:{VERSION_LABEL}) DELETE v")
        assert await graph_version.read(through) is None
        assert len(reader._idle) == 1  # one connection did it all
    finally:
        await reader.close()
        await async_driver.close()


async def test_a_connection_the_server_closed_is_opened_again(
    clean_db: Driver, neo4j_endpoint: Neo4jEndpoint
) -> None:
    reader = lean(neo4j_endpoint)
    try:
        assert await reader.fetch("RETURN 1 AS n", {}) == [{"n": 1}]
        killed = clean_db.execute_query(
            "CALL dbms.listConnections() YIELD connectionId, userAgent "
            "WHERE userAgent STARTS WITH 'pharmakg-lean-reads' "
            "CALL dbms.killConnection(connectionId) YIELD message RETURN message"
        ).records
        assert len(killed) == 1
        assert await reader.fetch("RETURN 2 AS n", {}) == [{"n": 2}]
    finally:
        await reader.close()


async def test_refused_credentials_are_not_tried_again(neo4j_endpoint: Neo4jEndpoint) -> None:
    reader = lean(neo4j_endpoint, password="not the password")
    with pytest.raises(RefusedError, match="credentials"):
        await reader.fetch("RETURN 1 AS n", {})
    assert reader.refused
    with pytest.raises(LeanError, match="refused"):
        await reader.fetch("RETURN 1 AS n", {})


async def test_what_the_lean_reads_cannot_read_the_driver_reads_or_explains(
    clean_db: Driver, neo4j_endpoint: Neo4jEndpoint
) -> None:
    clean_db.execute_query("CREATE (:Scratch {x: 1})")
    async_driver = AsyncGraphDatabase.driver(
        neo4j_endpoint.uri, auth=(neo4j_endpoint.user, neo4j_endpoint.password)
    )
    reader = reads.Reader(async_driver, timeout=0.5, lean=lean(neo4j_endpoint, timeout=0.5))
    try:
        [row] = await reads.fetch(reader, "MATCH (n:Scratch) RETURN n", {})  # a node: the driver's
        assert isinstance(row["n"], Node)
        assert row["n"]["x"] == 1
        with pytest.raises(ReadError, match="SyntaxError"):  # the driver's error, as before
            await reads.fetch(reader, "RETURN 1 +", {})
        with pytest.raises(ReadError, match="AccessMode"):  # READ mode: no write
            await reads.fetch(reader, "CREATE (n:Scratch {x: 2}) RETURN n.x AS x", {})
        with pytest.raises(QueryTimeoutError):
            await reads.fetch(reader, SLOW, {})
        assert clean_db.execute_query("MATCH (n:Scratch) RETURN count(n) AS n").records[0]["n"] == 1
    finally:
        assert reader.lean is not None
        await reader.lean.close()
        await async_driver.close()
