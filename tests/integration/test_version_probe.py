"""The graph version probe: the response cache's version read over a Bolt connection of its own."""

from __future__ import annotations

import pytest
from neo4j import Driver

from graph import version as graph_version
from graph.cypher import VERSION_LABEL
from graph.version_probe import ProbeError, VersionProbe, probe_for
from tests.conftest import Neo4jEndpoint

pytestmark = pytest.mark.asyncio(loop_scope="session")

TIMEOUT = 5.0


def probe(endpoint: Neo4jEndpoint, password: str | None = None) -> VersionProbe:
    made = probe_for(endpoint.uri, (endpoint.user, password or endpoint.password), None, TIMEOUT)
    assert made is not None, endpoint.uri
    return made


async def test_reads_what_the_driver_reads_and_sees_every_bump(
    clean_db: Driver, neo4j_endpoint: Neo4jEndpoint
) -> None:
    reader = probe(neo4j_endpoint)
    try:
        assert await reader.read() is None  # never loaded: no version
        first = graph_version.bump(clean_db)
        assert await reader.read() == first == graph_version.current(clean_db)
        second = graph_version.bump(clean_db)  # on the same, open connection
        assert await reader.read() == second != first
        clean_db.execute_query(f"MATCH (v:{VERSION_LABEL}) DELETE v")
        assert await reader.read() is None
    finally:
        await reader.close()


async def test_a_connection_the_server_closed_is_opened_again(
    clean_db: Driver, neo4j_endpoint: Neo4jEndpoint
) -> None:
    token = graph_version.bump(clean_db)
    reader = probe(neo4j_endpoint)
    try:
        assert await reader.read() == token
        killed = clean_db.execute_query(
            "CALL dbms.listConnections() YIELD connectionId, userAgent "
            "WHERE userAgent STARTS WITH 'pharmakg-version-probe' "
            "CALL dbms.killConnection(connectionId) YIELD message RETURN message"
        ).records
        assert len(killed) == 1
        assert await reader.read() == token
    finally:
        await reader.close()


async def test_refused_credentials_are_not_tried_again(neo4j_endpoint: Neo4jEndpoint) -> None:
    reader = probe(neo4j_endpoint, password="not the password")
    with pytest.raises(ProbeError, match="credentials"):
        await reader.read()
    assert reader.refused
    with pytest.raises(ProbeError, match="refused"):
        await reader.read()
