"""Neo4j down: GraphQL says "graph unavailable", REST says 503 with Retry-After, quickly; both
recover on their own when Neo4j comes back (the API is never restarted)."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from neo4j import GraphDatabase

from api.app import create_app
from graph import server
from graph.schema import apply_schema
from graph.server import free_port
from graph.writer import write
from ontology.records import Node
from ontology.vocab import Category
from tests.integration.reliability.conftest import Json, make_settings, serve

ANSWER_WITHIN = 10.0  # seconds: "unavailable" must be said quickly, not after the retries
ENTITY = "PUBCHEM.COMPOUND:1"
QUERY = f'{{ entity(id: "{ENTITY}") {{ __typename ... on Entity {{ id name }} }} }}'
REST_PATHS = (f"/entity/{ENTITY}?format=nt", "/rdf/export?format=nt")


def dead_settings() -> tuple[str, str]:
    return f"bolt://127.0.0.1:{free_port()}", "nobody-listens"


async def ask(client: httpx.AsyncClient, timeout: float = ANSWER_WITHIN) -> Json:
    response = await asyncio.wait_for(client.post("/graphql", json={"query": QUERY}), timeout)
    assert response.status_code == 200, response.text
    body: Json = response.json()
    return body


def assert_unavailable(body: Json) -> None:
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "GRAPH_UNAVAILABLE"
    assert error["message"] == "The graph database is not available; retry shortly."
    assert "bolt://" not in str(body)
    assert "Errno" not in str(body)


@pytest.mark.asyncio
async def test_graphql_says_graph_unavailable_quickly() -> None:
    async with serve(create_app(make_settings(*dead_settings()))) as client:
        started = time.monotonic()
        body = await ask(client)
        assert_unavailable(body)
    assert time.monotonic() - started < ANSWER_WITHIN


@pytest.mark.asyncio
@pytest.mark.parametrize("path", REST_PATHS)
async def test_rest_says_503_with_retry_after(path: str) -> None:
    async with serve(create_app(make_settings(*dead_settings()))) as client:
        response = await asyncio.wait_for(client.get(path), ANSWER_WITHIN)
    assert response.status_code == 503
    assert response.json()["detail"] == "Neo4j is not available: ServiceUnavailable"
    assert response.headers.get("retry-after") == "5"


@pytest.mark.asyncio
async def test_rdf_of_a_graphql_answer_says_503_with_retry_after() -> None:
    async with serve(create_app(make_settings(*dead_settings()))) as client:
        response = await asyncio.wait_for(
            client.post("/rdf/graphql?format=nt", json={"query": QUERY}), 60
        )
    assert response.status_code == 503, response.text
    assert response.headers.get("retry-after") == "5"


def start_with_one_node(cfg: server.ServerConfig) -> None:
    server.start(cfg)
    with GraphDatabase.driver(cfg.bolt_uri, auth=("neo4j", cfg.password)) as driver:
        apply_schema(driver)
        write(
            driver,
            [Node(id=ENTITY, category=Category.DRUG, name="drug one", source="infores:test")],
        )


async def rest_statuses(client: httpx.AsyncClient) -> list[int]:
    return [(await client.get(path)).status_code for path in REST_PATHS]


async def until_recovered(client: httpx.AsyncClient) -> None:
    """GraphQL answers the entity and REST serves it, within 60 s, with no restart."""
    deadline = time.monotonic() + 60
    while True:
        body = await ask(client, timeout=120)
        statuses = await rest_statuses(client)
        if not body.get("errors") and statuses == [200, 200]:
            assert body["data"]["entity"] == {
                "__typename": "Drug",
                "id": ENTITY,
                "name": "drug one",
            }
            return
        assert time.monotonic() < deadline, (body, statuses)
        await asyncio.sleep(0.5)


@pytest.mark.asyncio
async def test_graphql_and_rest_recover_when_neo4j_returns(own_server: server.ServerConfig) -> None:
    cfg = own_server
    app = create_app(make_settings(cfg.bolt_uri, cfg.password))
    async with serve(app) as client:
        # 1. Neo4j not there when the API starts.
        assert_unavailable(await ask(client, timeout=120))
        assert await rest_statuses(client) == [503, 503]
        # 2. It comes: both answer, same app, same driver.
        start_with_one_node(cfg)
        await until_recovered(client)
        # 3. It goes away under a warm connection pool, then comes back.
        server.stop(cfg)
        assert_unavailable(await ask(client, timeout=120))
        assert await rest_statuses(client) == [503, 503]
        server.start(cfg)
        await until_recovered(client)
