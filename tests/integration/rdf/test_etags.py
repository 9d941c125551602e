"""ETags on the RDF routes: keyed on the graph version, so a repeat gets 304 until a load."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app
from api.settings import Settings
from graph import version as graph_version
from graph.cypher import VERSION_LABEL
from tests.conftest import Neo4jEndpoint
from tests.unit.rdf import fixture_graph as fx

TURTLE = {"Accept": "text/turtle"}
PAGE = f"/entity/{fx.MITRAGYNINE}"


@pytest.fixture
def client(fixture_db: Driver, neo4j_endpoint: Neo4jEndpoint) -> Iterator[TestClient]:
    graph_version.bump(fixture_db)  # written by the writer alone: no version yet
    settings = Settings(
        neo4j_uri=neo4j_endpoint.uri,
        neo4j_user=neo4j_endpoint.user,
        neo4j_password=neo4j_endpoint.password,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_a_repeated_request_gets_304_until_a_load(client: TestClient, fixture_db: Driver) -> None:
    first = client.get(PAGE, headers=TURTLE)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert tag.startswith('W/"')
    again = client.get(PAGE, headers={**TURTLE, "If-None-Match": f'"other", {tag}'})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    # another format of the same page is another representation
    triples = client.get(PAGE, headers={"Accept": "application/n-triples", "If-None-Match": tag})
    assert triples.status_code == 200
    assert triples.headers["etag"] != tag
    # a load gives the graph a new version: the old tag no longer matches
    graph_version.bump(fixture_db)
    after = client.get(PAGE, headers={**TURTLE, "If-None-Match": tag})
    assert after.status_code == 200
    assert after.headers["etag"] != tag
    assert after.content == first.content


def test_exports_and_graphql_exports_are_conditional_too(client: TestClient) -> None:
    export = client.get("/rdf/export", params={"format": "nt"})
    assert export.status_code == 200
    repeat = client.get(
        "/rdf/export", params={"format": "nt"}, headers={"If-None-Match": export.headers["etag"]}
    )
    assert repeat.status_code == 304
    body = {"query": f'{{ entity(id: "{fx.MITRAGYNINE}") {{ ... on Entity {{ id }} }} }}'}
    answer = client.post("/rdf/graphql", json=body, headers=TURTLE)
    assert answer.status_code == 200
    tag = answer.headers["etag"]
    assert (
        client.post("/rdf/graphql", json=body, headers={**TURTLE, "If-None-Match": tag}).status_code
        == 304
    )
    other = {"query": f'{{ entity(id: "{fx.SEVEN_OH}") {{ ... on Entity {{ id }} }} }}'}
    assert (
        client.post(
            "/rdf/graphql", json=other, headers={**TURTLE, "If-None-Match": tag}
        ).status_code
        == 200
    )


def test_without_a_version_there_is_no_etag(client: TestClient, fixture_db: Driver) -> None:
    fixture_db.execute_query(f"MATCH (v:{VERSION_LABEL}) DELETE v")
    try:
        response = client.get(PAGE, headers=TURTLE)
        assert response.status_code == 200
        assert "etag" not in response.headers
    finally:
        graph_version.bump(fixture_db)  # as the other tests expect to find it
