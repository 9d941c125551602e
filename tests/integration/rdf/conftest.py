"""Datasets for the RDF integration tests: the curated data and the small fixture graph."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app
from api.settings import Settings
from graph.stats import delete_all
from graph.writer import write
from tests.conftest import GraphState, Neo4jEndpoint
from tests.integration.rdf.questions import QUERIES, Answers, compute_answers
from tests.unit.rdf import fixture_graph as fx

Loader = Callable[[str], Driver]


def load_fixture_graph(driver: Driver, graph_state: GraphState) -> Driver:
    """An empty database holding only the fixture graph."""
    delete_all(driver)
    graph_state.curated_loaded = False
    stats = write(driver, fx.RECORDS, atomic=True)
    assert stats.rejected == 0
    return driver


@pytest.fixture
def fixture_db(driver: Driver, graph_state: GraphState) -> Driver:
    return load_fixture_graph(driver, graph_state)


@pytest.fixture
def load_dataset(request: pytest.FixtureRequest, driver: Driver, graph_state: GraphState) -> Loader:
    """Load "curated" or "fixture" on demand (for parametrised and module-scoped tests)."""

    def load(name: str) -> Driver:
        if name == "curated":
            return request.getfixturevalue("curated_db")  # type: ignore[no-any-return]
        return load_fixture_graph(driver, graph_state)

    return load


@pytest.fixture(scope="session")
def answers_cache() -> dict[str, Answers]:
    return {}


@pytest.fixture
def answers_for(
    load_dataset: Loader, answers_cache: dict[str, Answers]
) -> Callable[[str], Answers]:
    """Load a dataset and return its answers (computed right after its first load)."""

    def get(dataset: str) -> Answers:
        driver = load_dataset(dataset)
        if dataset not in answers_cache:
            answers_cache[dataset] = compute_answers(driver)
        return answers_cache[dataset]

    return get


@pytest.fixture
def ask(neo4j_endpoint: Neo4jEndpoint) -> Iterator[Callable[[str], dict[str, Any]]]:
    """Run a saved GraphQL query (docs/queries/NAME.graphql) with its defaults, on whatever
    the database holds."""
    settings = Settings(
        neo4j_uri=neo4j_endpoint.uri,
        neo4j_user=neo4j_endpoint.user,
        neo4j_password=neo4j_endpoint.password,
    )
    with TestClient(create_app(settings)) as client:

        def run(question: str) -> dict[str, Any]:
            query = (QUERIES / f"{question}.graphql").read_text(encoding="utf-8")
            response = client.post("/graphql", json={"query": query})  # its defaults
            body: dict[str, Any] = response.json()
            assert response.status_code == 200, body
            assert not body.get("errors"), body["errors"]
            data: dict[str, Any] = body["data"]
            return data

        yield run
