"""Bad input: oversized bodies, deep and aliased queries, huge pages, malformed CURIEs and
injection attempts in every string argument. Clean errors, and the graph is left unchanged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
import pytest
import pytest_asyncio
from neo4j import Driver

from api.app import create_app
from api.graphql.limits import MAX_ALIASES, MAX_DEPTH, MAX_PAGE_SIZE, MAX_TEXT_LENGTH
from api.settings import Settings
from graph.stats import graph_stats
from tests.integration.reliability.conftest import Json, dump, serve

pytestmark = pytest.mark.asyncio(loop_scope="session")

MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"

# Quotes, backticks, Cypher and Lucene fragments, control characters, path tricks.
INJECTIONS = (
    "' OR 1=1 //",
    '" OR true RETURN n //',
    "x'}) MATCH (n) DETACH DELETE n //",
    'x"}) MATCH (n) DETACH DELETE n //',
    "`) DETACH DELETE n //",
    "mitragynine` SET n.name = 'pwned' //",
    "x' CREATE (:Injected {by: 'api'}) //",
    "}) CALL { MATCH (n) DETACH DELETE n } //",
    "$id",
    "{id}",
    "1; CALL dbms.killQueries([])",
    "CALL db.clearQueryCaches()",
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "*:*",
    "name:* OR id:*",
    "\\",
    '\\"',
    "~!@#$%^&*()_+{}|:<>?[];,./",
    "a\u0000b",
    "line\nbreak\r\ttab",
    "\u202emitragynine",
    "💊 kratom",
    "../../../../etc/passwd",
    "PUBCHEM.COMPOUND:3034396' OR '1'='1",
    "x" * (MAX_TEXT_LENGTH + 1),
)

# Every string argument of the schema, as a query taking it from $v.
STRING_ARGUMENTS: dict[str, str] = {
    "entity.id": "query($v: ID!) { entity(id: $v) { __typename } }",
    "entities.name": "query($v: String!) { entities(name: $v) { id } }",
    "search.text": "query($v: String!) { search(text: $v) { totalCount } }",
    "search.after": 'query($v: String!) { search(text: "kratom", after: $v) { totalCount } }',
    "studies.species": "query($v: String!) { studies(filter: {species: [$v]}) { totalCount } }",
    "studies.investigates": "query($v: String!) { studies(filter: {investigates: $v}) "
    "{ totalCount } }",
    "studies.after": "query($v: String!) { studies(after: $v) { totalCount } }",
    "measurements.compound": "query($v: String!) { measurements(filter: {compound: $v}) "
    "{ totalCount } }",
    "measurements.target": "query($v: String!) { measurements(filter: {target: $v}) "
    "{ totalCount } }",
    "measurements.assay": "query($v: String!) { measurements(filter: {assay: $v}) { totalCount } }",
    "measurements.species": "query($v: String!) { measurements(filter: {species: [$v]}) "
    "{ totalCount } }",
    "measurements.after": "query($v: String!) { measurements(after: $v) { totalCount } }",
    "studiesConnecting.entities": "query($v: String!) { studiesConnecting(entities: [$v, "
    '"mitragynine"]) { __typename } }',
    "studiesConnecting.after": 'query($v: String!) { studiesConnecting(entities: ["mitragynine",'
    ' "anxiety"], after: $v) { __typename } }',
    "paths.from": 'query($v: String!) { paths(from: $v, to: "anxiety") { __typename } }',
    "paths.to": 'query($v: String!) { paths(from: "mitragynine", to: $v) { __typename } }',
    "paths.via": 'query($v: String!) { paths(from: "mitragynine", to: "anxiety", via: [$v]) '
    "{ __typename } }",
    "interactions.entity": "query($v: String!) { interactions(entity: $v) { __typename } }",
    "pharmacology.compound": "query($v: String!) { pharmacology(compound: $v) { __typename } }",
    "pharmacology.target": 'query($v: String!) { pharmacology(compound: "mitragynine", '
    "target: $v) { __typename } }",
    "metabolism.compound": "query($v: String!) { metabolism(compound: $v) { __typename } }",
    "Entity.relations.after": f'query($v: String!) {{ entity(id: "{MITRAGYNINE}") {{ '
    "... on Entity { relations(after: $v) { totalCount } } } }",
}
CLEAN_CODES = {"BAD_USER_INPUT", "QUERY_TIMEOUT"}


def assert_clean(response: httpx.Response, what: object) -> Json:
    """No server error, no internal detail; errors carry a message a client can act on."""
    assert response.status_code < 500, (what, response.text[:500])
    for leak in ("Traceback", "Neo.ClientError", "neo4j.exceptions", "Unexpected error."):
        assert leak not in response.text, (what, response.text[:500])
    if response.headers.get("content-type", "").startswith("application/json"):
        body: Json = response.json()
        for error in body.get("errors") or []:
            assert (error.get("extensions") or {}).get("code", "BAD_USER_INPUT") in CLEAN_CODES
        return body
    return {}


@pytest_asyncio.fixture
async def client(curated_db: Driver, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    del curated_db
    async with serve(create_app(settings)) as client:
        yield client


async def gql(client: httpx.AsyncClient, query: str, variables: Json | None = None) -> Json:
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    return assert_clean(response, query[:200])


def first_error(body: Json) -> str:
    errors: list[Json] = body.get("errors") or []
    assert errors, body
    message: str = errors[0]["message"]
    return message


async def test_injection_strings_in_every_string_argument_are_data(
    client: httpx.AsyncClient, curated_db: Driver
) -> None:
    before_stats, before = graph_stats(curated_db), dump(curated_db)
    answered = 0
    for name, query in STRING_ARGUMENTS.items():
        for text in INJECTIONS:
            body = await gql(client, query, {"v": text})
            answered += 1
            assert body.get("data") is not None or body.get("errors"), (name, text, body)
    for text in INJECTIONS:
        for path in (
            f"/entity/{quote(text, safe='')}",
            f"/entity/{quote(text, safe=':/')}",
            f"/rdf/export?format=nt&entity={quote(text)}",
            f"/rdf/export?format=nt&category={quote(text)}",
        ):
            assert_clean(await client.get(path), path)
            answered += 1
    assert answered == len(INJECTIONS) * (len(STRING_ARGUMENTS) + 4)
    assert graph_stats(curated_db) == before_stats
    assert dump(curated_db) == before, "the graph changed"
    [[count]] = curated_db.execute_query("MATCH (n:Injected) RETURN count(n)").records
    assert count == 0


async def test_search_text_is_words_not_a_lucene_query(client: httpx.AsyncClient) -> None:
    everything = await gql(client, '{ search(text: "*:*") { totalCount } }')
    assert everything["data"]["search"]["totalCount"] == 0


async def test_huge_and_negative_page_sizes_are_refused(client: httpx.AsyncClient) -> None:
    for first in (MAX_PAGE_SIZE + 1, 2**31 - 1, -1):
        body = await gql(
            client,
            'query($f: Int!) { search(text: "kratom", first: $f) { totalCount } }',
            {"f": first},
        )
        assert f"first must be between 0 and {MAX_PAGE_SIZE}" in first_error(body)
    body = await gql(client, '{ search(text: "kratom", first: 99999999999) { totalCount } }')
    assert "non 32-bit" in first_error(body)
    body = await gql(
        client,
        f'{{ entity(id: "{MITRAGYNINE}") {{ ... on Entity {{ '
        "relations(first: 100000) { totalCount } } } }",
    )
    assert "first must be between" in first_error(body)
    body = await gql(
        client, '{ paths(from: "mitragynine", to: "anxiety", maxHops: 1000) { __typename } }'
    )
    assert "maxHops must be between" in first_error(body)


def deep_query(levels: int) -> str:
    inner = "id"
    for _ in range(levels):
        inner = f"relations(first: 1) {{ nodes {{ neighbour {{ {inner} }} }} }}"
    return f'{{ entity(id: "{MITRAGYNINE}") {{ ... on Entity {{ {inner} }} }} }}'


async def test_deep_queries_are_refused_before_running(client: httpx.AsyncClient) -> None:
    body = await gql(client, deep_query(MAX_DEPTH))
    assert "exceeds maximum operation depth" in first_error(body)
    assert body.get("data") is None
    shallow = await gql(client, deep_query(2))
    assert not shallow.get("errors"), shallow


async def test_heavily_aliased_queries_are_refused(client: httpx.AsyncClient) -> None:
    aliases = " ".join(
        f'a{i}: search(text: "kratom") {{ totalCount }}' for i in range(MAX_ALIASES + 1)
    )
    body = await gql(client, f"{{ {aliases} }}")
    assert "aliases found" in first_error(body)
    many = " ".join(f"t{i}: __typename" for i in range(5000))
    body = await gql(client, f"{{ {many} }}")
    assert body.get("data") is None
    assert first_error(body)


async def test_oversized_bodies_are_refused_cleanly(client: httpx.AsyncClient) -> None:
    huge_text = "kratom " * (8 * 2**20 // 7)  # 8 MiB in one argument
    body = await gql(
        client, "query($v: String!) { search(text: $v) { totalCount } }", {"v": huge_text}
    )
    assert f"longer than {MAX_TEXT_LENGTH}" in first_error(body)
    tokens = "{ " + "__typename " * 400_000 + "}"  # 4 MiB of tokens
    body = await gql(client, tokens)
    assert first_error(body)
    variables: Json = {f"v{i}": "x" * 1000 for i in range(4000)}  # 4 MiB of variables
    body = await gql(client, "{ __typename }", variables)
    assert body["data"] == {"__typename": "Query"}


async def test_non_object_json_bodies_are_refused_not_500(client: httpx.AsyncClient) -> None:
    """Found by the fuzzer: a JSON scalar body, or one that is not UTF-8, crashed strawberry's
    body parser (500)."""
    for raw in (b"0", b'"query"', b"null", b"true", b"\xbd", b'{"query": "\xff"}'):
        response = await client.post(
            "/graphql", content=raw, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400, (raw, response.status_code, response.text)


MALFORMED_CURIES = (
    "not a curie",
    "PUBCHEM.COMPOUND:",
    ":3034396",
    "a:b:c",
    "PUBCHEM:🙂",
    "http://example.org/x",
    "urn:x:y",
    " ",
    "NOPREFIX:1" + "0" * 500,
)


async def test_malformed_curies_are_not_found_or_refused(client: httpx.AsyncClient) -> None:
    for curie in MALFORMED_CURIES:
        body = await gql(client, "query($v: ID!) { entity(id: $v) { __typename } }", {"v": curie})
        if not body.get("errors"):
            assert body["data"]["entity"]["__typename"] == "NotFound", (curie, body)
        response = await client.get(f"/entity/{quote(curie, safe=':')}?format=ttl")
        assert_clean(response, curie)
        assert response.status_code in (400, 404), (curie, response.status_code)


async def test_bad_query_parameters_are_4xx(client: httpx.AsyncClient) -> None:
    for path in (
        "/rdf/export?format=exe",
        "/rdf/export?star=maybe",
        "/rdf/export?category=x",
        f"/entity/{MITRAGYNINE}?format=%00",
        "/rdf/export?format=nt&star=true&category=" + "x," * 10_000,
    ):
        response = await client.get(path)
        assert_clean(response, path)
        assert 400 <= response.status_code < 500, (path, response.status_code)
