"""The response cache: answers keyed by the graph version, which every load replaces."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from api import pipeline
from api.app import create_app
from api.settings import PROJECT_ROOT, Settings
from graph import version as graph_version
from graph.cypher import VERSION_LABEL
from tests.integration.graphql.conftest import count_statements, serve

pytestmark = pytest.mark.asyncio(loop_scope="session")

MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"
QUERIES: list[tuple[str, dict[str, Any]]] = [
    (f'{{ entity(id: "{MITRAGYNINE}") {{ ... on Entity {{ name }} }} }}', {}),
    ("query ($id: ID!) { entity(id: $id) { ... on Entity { id name } } }", {"id": MITRAGYNINE}),
    (
        "query ($id: ID!) { entity(id: $id) { ... on Compound { name inchikey } } }",
        {"id": MITRAGYNINE},
    ),
]


def _name(data: dict[str, Any]) -> str:
    name: str = data["entity"]["name"]
    return name


@pytest.mark.parametrize("reads", ["lean", "driver"])
async def test_a_load_invalidates_every_cached_answer(
    clean_db: Driver, settings: Settings, reads: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graph_version, "LEASE_SECONDS", 0.0)  # every request reads the version
    pipeline.load(clean_db, pipeline.CURATED, [Path(PROJECT_ROOT / "data" / "curated")])
    app = create_app(settings)
    async with serve(app) as client:
        assert app.state.lean_reads is not None  # the tests' Neo4j is plain bolt://
        if reads == "driver":  # every read, the version's too, through the driver
            app.state.lean_reads = None
        counter = count_statements(app)

        async def ask(query: str, variables: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            before = counter.runs
            body = (
                await client.post("/graphql", json={"query": query, "variables": variables})
            ).json()
            assert not body.get("errors"), body
            return counter.runs - before, body["data"]

        first = [await ask(q, v) for q, v in QUERIES]
        again = [await ask(q, v) for q, v in QUERIES]
        assert all(cost > 1 for cost, _ in first)  # the version, then the answer's reads
        assert [cost for cost, _ in again] == [1] * len(QUERIES)  # the version alone
        assert [data for _, data in again] == [data for _, data in first]

        # A write the cache cannot see (not a load) is not seen: the answers are cached...
        clean_db.execute_query("MATCH (n:Entity {id: $id}) SET n.name = 'renamed'", id=MITRAGYNINE)
        assert {_name(data) for _, data in [await ask(q, v) for q, v in QUERIES]} == {"mitragynine"}
        # ...until a load bumps the version: then every cached answer is computed afresh.
        pipeline.load(clean_db, pipeline.CURATED, [Path(PROJECT_ROOT / "data" / "curated")])
        fresh = [await ask(q, v) for q, v in QUERIES]
        assert all(cost > 1 for cost, _ in fresh)
        assert {_name(data) for _, data in fresh} == {"renamed"}


async def test_a_leased_version_costs_no_read_and_a_bump_outwaits_the_lease(
    clean_db: Driver, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    lease = 2.0  # long enough that the repeats below fall inside it on any machine
    monkeypatch.setattr(graph_version, "LEASE_SECONDS", lease)
    pipeline.load(clean_db, pipeline.CURATED, [Path(PROJECT_ROOT / "data" / "curated")])
    app = create_app(settings)
    async with serve(app) as client:
        counter = count_statements(app)

        async def cost_and_name(query: str, variables: dict[str, Any]) -> tuple[int, str]:
            before = counter.runs
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            return counter.runs - before, _name(response.json()["data"])

        for query, variables in QUERIES:
            await cost_and_name(query, variables)
        again = [await cost_and_name(q, v) for q, v in QUERIES]
        assert again == [(0, "mitragynine")] * len(QUERIES)  # cached, the version leased

        clean_db.execute_query("MATCH (n:Entity {id: $id}) SET n.name = 'renamed'", id=MITRAGYNINE)
        began = time.monotonic()
        graph_version.bump(clean_db)  # as a load ends: its commit takes milliseconds...
        assert time.monotonic() - began >= lease  # ...then it waits out every lease
        fresh = [await cost_and_name(q, v) for q, v in QUERIES]
        assert fresh[0][0] > 1  # so the first request after it reads the new version
        assert {name for _, name in fresh} == {"renamed"}


async def test_without_a_version_nothing_is_cached(clean_db: Driver, settings: Settings) -> None:
    pipeline.load(clean_db, pipeline.CURATED, [Path(PROJECT_ROOT / "data" / "curated")])
    clean_db.execute_query(f"MATCH (v:{VERSION_LABEL}) DELETE v")
    assert graph_version.current(clean_db) is None
    app = create_app(settings)
    async with serve(app) as client:
        counter = count_statements(app)
        query, variables = QUERIES[1]
        for _ in range(2):
            before = counter.runs
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            assert response.status_code == 200
            assert counter.runs - before == 2  # the version (none), then the lookup
            assert "etag" not in response.headers


async def test_etags_answer_304_on_get_and_post(curated_db: Driver, settings: Settings) -> None:
    del curated_db
    query, variables = QUERIES[1]
    async with serve(create_app(settings)) as client:
        first = await client.post("/graphql", json={"query": query, "variables": variables})
        etag = first.headers["etag"]
        again = await client.post(
            "/graphql",
            json={"query": "  " + query + "\n# a comment", "variables": variables},
            headers={"If-None-Match": etag},
        )
        assert again.status_code == 304
        assert again.content == b""
        got = await client.get(
            "/graphql",
            params={"query": query, "variables": json.dumps({"id": MITRAGYNINE})},
            headers={"If-None-Match": f'W/{etag}, "other"'},
        )
        assert got.status_code == 304
        other = await client.get(
            "/graphql",
            params={"query": query, "variables": json.dumps({"id": MITRAGYNINE})},
            headers={"If-None-Match": '"stale"'},
        )
        assert other.status_code == 200
        assert other.headers["etag"] == etag
        assert other.json() == first.json()


async def test_errors_are_never_cached(curated_db: Driver, settings: Settings) -> None:
    del curated_db
    async with serve(create_app(settings)) as client:
        for _ in range(2):
            response = await client.post("/graphql", json={"query": "{ entity { nope } }"})
            assert response.json().get("errors")
            assert "etag" not in response.headers
