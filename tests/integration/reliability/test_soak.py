"""A short soak (20 s, 8 clients, a reload a quarter of the way in) against uvicorn on loopback.

The full run is ``python -m benchmarks.soak`` (300 s, 32 clients); see docs/reliability.md.
"""

from __future__ import annotations

import pytest
from neo4j import Driver

from benchmarks.soak import api_process, operations, soak
from graph import server
from tests.conftest import Neo4jEndpoint

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.mark.slow
async def test_a_short_soak_with_a_reload_has_no_errors_and_flat_memory(
    curated_db: Driver, neo4j_endpoint: Neo4jEndpoint
) -> None:
    cfg = neo4j_endpoint.server_config
    neo4j_pid = server.status(cfg).pid if cfg is not None else None
    async with api_process(neo4j_endpoint.uri, neo4j_endpoint.password) as (url, pid):
        result = await soak(
            url,
            curated_db,
            duration=20,
            clients=8,
            api_pid=pid,
            neo4j_pid=neo4j_pid,
            reload_at=0.25,
        )
    assert result.errors == 0, result.failures
    assert set(result.by_operation) == {op.name for op in operations()}
    assert result.reload_s is not None
    assert result.requests_during_reload > 0, "queries kept answering while the reload ran"
    assert result.graph_after == result.graph_before, "the reload is idempotent"
    assert result.memory["api"]["flat"], result.memory
    assert len(result.samples) >= 5
