"""Protection: limits, page sizes, timeouts, masked errors, read-only transactions, production."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from neo4j import AsyncGraphDatabase, Driver

from api.app import create_app
from api.graphql.limits import MAX_ALIASES, MAX_DEPTH, MAX_PAGE_SIZE, MAX_TOKENS
from graph import reads
from graph.cypher import reads as queries
from tests.conftest import Neo4jEndpoint
from tests.integration.graphql.conftest import GraphQL, make_settings, serve

pytestmark = pytest.mark.asyncio(loop_scope="session")

SLOW = "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 100 RETURN count(x) AS n"


def _nested(depth: int) -> str:
    inner = "id"
    for _ in range(depth):
        inner = f"relations(first: 1) {{ nodes {{ neighbour {{ {inner} }} }} }}"
    return f'{{ entity(id: "PUBCHEM.COMPOUND:3034396") {{ ... on Entity {{ {inner} }} }} }}'


async def test_depth_limit(gql: GraphQL) -> None:
    errors = await gql.errors(_nested(MAX_DEPTH // 3 + 1))
    assert f"exceeds maximum operation depth of {MAX_DEPTH}" in errors[0]["message"]
    data = await gql.data(_nested(2))  # within the limit
    assert data["entity"]["relations"]["nodes"]


async def test_token_limit(gql: GraphQL) -> None:
    fields = " ".join(["__typename"] * (MAX_TOKENS + 1))
    errors = await gql.errors(f"{{ {fields} }}")
    assert f"more than {MAX_TOKENS} tokens" in errors[0]["message"]


async def test_alias_limit(gql: GraphQL) -> None:
    aliases = " ".join(
        f'a{i}: search(text: "kratom") {{ totalCount }}' for i in range(MAX_ALIASES + 1)
    )
    errors = await gql.errors(f"{{ {aliases} }}")
    assert f"{MAX_ALIASES}" in errors[0]["message"]
    assert "aliases" in errors[0]["message"].lower()


async def test_page_size_limit(gql: GraphQL) -> None:
    errors = await gql.errors(
        'query ($n: Int!) { search(text: "mitragynine", first: $n) { totalCount } }',
        {"n": MAX_PAGE_SIZE + 1},
    )
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT"}
    assert f"first must be between 0 and {MAX_PAGE_SIZE}" in errors[0]["message"]


async def test_bad_cursor_is_a_clean_error(gql: GraphQL) -> None:
    errors = await gql.errors(
        '{ search(text: "mitragynine", after: "not-a-cursor") { totalCount } }'
    )
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT"}
    assert "invalid cursor" in errors[0]["message"]


async def test_empty_and_oversized_text_are_refused(gql: GraphQL) -> None:
    for text in ("   ", "x" * 500):
        errors = await gql.errors(
            "query ($t: String!) { search(text: $t) { totalCount } }", {"t": text}
        )
        assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_reads_are_stopped_by_the_query_timeout(neo4j_endpoint: Neo4jEndpoint) -> None:
    driver = AsyncGraphDatabase.driver(neo4j_endpoint.uri, auth=neo4j_endpoint.auth)
    try:
        with pytest.raises(reads.QueryTimeoutError):
            await reads.fetch(reads.Reader(driver, timeout=0.5), SLOW, {})
    finally:
        await driver.close()


async def test_a_timeout_reaches_the_client_as_a_clean_error(
    curated_db: Driver, neo4j_endpoint: Neo4jEndpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The search query is swapped for a slow one: what matters is the path from the settings'
    # timeout through the server's refusal to the client's error.
    monkeypatch.setattr(queries, "SEARCH", SLOW)
    settings = make_settings(neo4j_endpoint, PHARMAKG_QUERY_TIMEOUT=0.5)
    async with serve(create_app(settings)) as client:
        body = (
            await client.post(
                "/graphql", json={"query": '{ search(text: "mitragynine") { totalCount } }'}
            )
        ).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "QUERY_TIMEOUT"}
    assert "took too long" in body["errors"][0]["message"]
    assert body["errors"][0]["path"] == ["search"]


async def test_unexpected_errors_are_masked_and_logged(
    gql: GraphQL, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(reads, "search", broken)
    with caplog.at_level(logging.ERROR, logger="pharmakg.graphql"):
        body = await gql.post('{ search(text: "mitragynine") { totalCount } }')
    assert body["errors"][0]["message"] == "Unexpected error."
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "secret" not in str(body)
    logged = [r for r in caplog.records if r.name == "pharmakg.graphql"]
    assert logged
    assert logged[0].exc_info is not None
    assert "secret internal detail" in caplog.text


async def test_every_read_is_a_read_transaction(
    curated_db: Driver, neo4j_endpoint: Neo4jEndpoint
) -> None:
    driver = AsyncGraphDatabase.driver(neo4j_endpoint.uri, auth=neo4j_endpoint.auth)
    try:
        with pytest.raises(reads.ReadError, match="AccessMode"):
            await reads.fetch(reads.Reader(driver), "CREATE (n:Scratch {x: 1}) RETURN n.x", {})
    finally:
        await driver.close()
    count = curated_db.execute_query("MATCH (n:Scratch) RETURN count(n) AS n").records
    assert count[0]["n"] == 0


async def test_graphiql_and_introspection_in_development(gql: GraphQL) -> None:
    page = await gql.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    data = await gql.data("{ __schema { queryType { name } } }")
    assert data["__schema"]["queryType"]["name"] == "Query"


async def test_production_turns_graphiql_and_introspection_off(
    curated_db: Driver, neo4j_endpoint: Neo4jEndpoint
) -> None:
    settings = make_settings(neo4j_endpoint, PHARMAKG_PRODUCTION=True)
    async with serve(create_app(settings)) as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert "graphiql" not in page.text.lower()
        body = (
            await client.post("/graphql", json={"query": "{ __schema { queryType { name } } }"})
        ).json()
        assert "introspection" in body["errors"][0]["message"].lower()
        answer = (
            await client.post(
                "/graphql", json={"query": '{ search(text: "mitragynine") { totalCount } }'}
            )
        ).json()
        assert answer["data"]["search"]["totalCount"] >= 1
