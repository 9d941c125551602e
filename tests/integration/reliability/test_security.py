"""Nothing writes through the API; CORS follows the setting; no password in logs or answers;
the local default password is refused in production."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from neo4j import Driver
from pydantic import ValidationError

from api.app import create_app
from api.graphql.context import app_reader
from api.settings import LOCAL_DEFAULT_PASSWORD, Settings
from graph import reads
from graph.reads import ReadError
from tests.conftest import Neo4jEndpoint
from tests.integration.reliability.conftest import dump, make_settings, serve

pytestmark = pytest.mark.asyncio(loop_scope="session")

WRITES = (
    "CREATE (:Injected {by: 'api'})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) SET n.name = 'pwned'",
    "CREATE INDEX injected IF NOT EXISTS FOR (n:Injected) ON (n.by)",
)


async def test_graphql_has_no_mutations_or_subscriptions(
    curated_db: Driver, settings: Settings
) -> None:
    del curated_db
    async with serve(create_app(settings)) as client:
        types = (
            await client.post(
                "/graphql",
                json={"query": "{ __schema { mutationType { name } subscriptionType { name } } }"},
            )
        ).json()["data"]["__schema"]
        assert types == {"mutationType": None, "subscriptionType": None}
        refused = (
            await client.post(
                "/graphql", json={"query": 'mutation { createEntity(id: "X:1") { id } }'}
            )
        ).json()
        assert refused["data"] is None
        assert "mutation" in refused["errors"][0]["message"].lower()


def test_only_read_methods_and_no_admin_routes(settings: Settings) -> None:
    from starlette.testclient import TestClient  # noqa: PLC0415 - sync, no lifespan

    app = create_app(settings)
    paths: dict[str, dict[str, object]] = app.openapi()["paths"]
    methods = {(path, method.upper()) for path, ops in paths.items() for method in ops}
    writes = {(p, m) for p, m in methods if m not in {"GET", "HEAD", "OPTIONS"}}
    # POSTs carry a GraphQL query (read-only schema), never data to store.
    assert writes == {("/graphql", "POST"), ("/rdf/graphql", "POST")}, writes
    assert not any("admin" in p or "load" in p for p, _ in methods), methods
    client = TestClient(app)
    for path in paths:
        concrete = path.replace("{curie}", "PUBCHEM.COMPOUND:3034396")
        for method in ("PUT", "PATCH", "DELETE"):
            assert client.request(method, concrete).status_code == 405, (method, path)


async def test_the_api_read_session_refuses_a_write(curated_db: Driver, settings: Settings) -> None:
    """The very path every resolver takes (graph.reads.fetch) cannot write, even if asked."""
    before = dump(curated_db)
    app = create_app(settings)
    async with serve(app):
        reader = app_reader(app.state)  # lean Bolt first, then the driver: both refuse
        for statement in WRITES:
            with pytest.raises(ReadError, match=r"AccessMode|read access mode|Writing in read"):
                await reads.fetch(reader, statement, {})
    assert dump(curated_db) == before


def test_cors_is_restricted_by_the_setting(neo4j_endpoint: Neo4jEndpoint) -> None:
    allowed = "https://pharmakg.example.org"
    for production in (False, True):
        settings = make_settings(
            neo4j_endpoint.uri,
            neo4j_endpoint.password,
            PHARMAKG_PRODUCTION=production,
            PHARMAKG_CORS_ORIGINS=[allowed],
        )
        app = create_app(settings)
        from starlette.testclient import TestClient  # noqa: PLC0415 - sync, no lifespan

        client = TestClient(app)
        for origin, expected in (
            (allowed, allowed),
            ("https://evil.example.com", None),
            ("http://127.0.0.1:5173", None if production else "http://127.0.0.1:5173"),
        ):
            response = client.options(
                "/graphql", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
            )
            assert response.headers.get("access-control-allow-origin") == expected, (
                production,
                origin,
                response.headers,
            )


def test_the_default_password_is_refused_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHARMAKG_PRODUCTION", "1")
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    with pytest.raises(ValidationError, match="local-only default"):
        Settings(_env_file=None)
    with pytest.raises(ValidationError, match="local-only default"):
        Settings(neo4j_password=LOCAL_DEFAULT_PASSWORD)
    assert Settings(neo4j_password="a-real-one").production is True


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every logger at DEBUG (neo4j's driver logs, uvicorn, ours)."""
    with caplog.at_level(logging.DEBUG):
        for name in ("neo4j", "neo4j.io", "neo4j.pool", "uvicorn", "pharmakg", "httpx"):
            logging.getLogger(name).setLevel(logging.DEBUG)
        yield caplog
    for name in ("neo4j", "neo4j.io", "neo4j.pool", "uvicorn", "pharmakg", "httpx"):
        logging.getLogger(name).setLevel(logging.NOTSET)


QUESTIONS = (
    '{ entity(id: "PUBCHEM.COMPOUND:3034396") { __typename } }',
    '{ search(text: "kratom") { totalCount } }',
    "{ studies { totalCount } }",
)


async def requests_logged(client: httpx.AsyncClient) -> str:
    answers = [
        (await client.get("/health")).text,
        (await client.get("/entity/PUBCHEM.COMPOUND:3034396?format=ttl")).text,
    ]
    for query in QUESTIONS:
        answers.append((await client.post("/graphql", json={"query": query})).text)
    return "\n".join(answers)


async def test_no_password_in_logs_or_answers_on_failed_auth(
    neo4j_endpoint: Neo4jEndpoint, all_logs: pytest.LogCaptureFixture
) -> None:
    wrong = "Wr0ng-s3cret-that-must-never-be-logged"
    async with serve(create_app(make_settings(neo4j_endpoint.uri, wrong))) as client:
        answers = await requests_logged(client)
    assert "Unauthorized" in all_logs.text or "authentication" in all_logs.text.lower(), (
        "the failed authentication was not logged at all: the check would prove nothing"
    )
    assert wrong not in all_logs.text
    assert wrong not in answers
    assert "Unauthorized" not in answers  # driver details stay out of answers


async def test_no_password_in_logs_during_normal_requests(
    curated_db: Driver, neo4j_endpoint: Neo4jEndpoint, all_logs: pytest.LogCaptureFixture
) -> None:
    del curated_db
    async with serve(
        create_app(make_settings(neo4j_endpoint.uri, neo4j_endpoint.password))
    ) as client:
        answers = await requests_logged(client)
    assert "neo4j" in all_logs.text.lower(), "no driver logs captured: the check proves nothing"
    assert neo4j_endpoint.password not in all_logs.text
    assert neo4j_endpoint.password not in answers
