"""One real Neo4j server for the whole test session.

Where it comes from, in order:
1. ``NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``) when set: a server you run;
2. testcontainers' ``neo4j:5.26-community`` when a Docker engine answers a ping;
3. the local server from Maven Central jars, on free ports with a temporary data dir.
With ``NEO4J_REQUIRED=1`` or ``CI=true`` a missing server fails the run instead of
skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

from api import pipeline
from api.settings import PROJECT_ROOT
from graph import server
from graph.errors import ServerError
from graph.schema import apply_schema
from graph.server import free_port
from graph.stats import delete_all

TEST_PASSWORD = "pharmakg-test"


@dataclass
class Neo4jEndpoint:
    uri: str
    user: str
    password: str
    http_url: str | None = None
    server_config: server.ServerConfig | None = None

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)


def _docker_answers() -> bool:
    try:
        import docker  # noqa: PLC0415 - only present with testcontainers

        docker.from_env(timeout=3).ping()
    except Exception:  # any failure means: no usable Docker engine
        return False
    return True


def neo4j_required() -> bool:
    """In CI (``CI=true``) or with ``NEO4J_REQUIRED=1`` a missing server is a failure."""
    return os.environ.get("NEO4J_REQUIRED") == "1" or os.environ.get("CI", "").lower() in (
        "1",
        "true",
    )


def _missing(reason: str) -> None:
    if neo4j_required():
        pytest.fail(
            f"Neo4j is required here (CI or NEO4J_REQUIRED=1) but there is no server: {reason}",
            pytrace=False,
        )
    pytest.skip(f"no Neo4j server: {reason}")  # only on a developer's machine, said aloud


@pytest.fixture(scope="session")
def neo4j_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jEndpoint]:
    if os.environ.get("NEO4J_URI"):
        yield Neo4jEndpoint(
            os.environ["NEO4J_URI"],
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
        )
        return
    if _docker_answers():
        from testcontainers.neo4j import Neo4jContainer  # noqa: PLC0415

        with Neo4jContainer("neo4j:5.26-community", password=TEST_PASSWORD) as container:
            yield Neo4jEndpoint(container.get_connection_url(), "neo4j", TEST_PASSWORD)
        return
    cfg = server.ServerConfig(
        home=PROJECT_ROOT / ".neo4j",
        instance_dir=tmp_path_factory.mktemp("neo4j"),
        password=TEST_PASSWORD,
        bolt_port=free_port(),
        http_port=free_port(),
        heap="1g",
        pagecache="512m",
        transaction_memory="512m",
    )
    try:
        server.start(cfg)
    except ServerError as error:
        _missing(str(error))
    try:
        yield Neo4jEndpoint(cfg.bolt_uri, "neo4j", TEST_PASSWORD, cfg.http_url, cfg)
    finally:
        server.stop(cfg)


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[server.ServerConfig]:
    """A small server of the test's own (temporary directory, free ports), not started here:
    for tests that start, stop, kill or break it. Stopped afterwards if still running."""
    cfg = server.ServerConfig(
        home=PROJECT_ROOT / ".neo4j",
        instance_dir=tmp_path / "db",
        password="own-server-pw",
        bolt_port=free_port(),
        http_port=free_port(),
        heap="512m",
        pagecache="256m",
        transaction_memory="256m",
    )
    yield cfg
    server.stop(cfg)


@dataclass
class GraphState:
    """What the shared database holds, so read-only tests reload only when needed."""

    curated_loaded: bool = False


@pytest.fixture(scope="session")
def graph_state() -> GraphState:
    return GraphState()


@pytest.fixture(scope="session")
def driver(neo4j_endpoint: Neo4jEndpoint) -> Iterator[Driver]:
    with GraphDatabase.driver(neo4j_endpoint.uri, auth=neo4j_endpoint.auth) as drv:
        drv.verify_connectivity()
        apply_schema(drv)
        yield drv


@pytest.fixture
def clean_db(driver: Driver, graph_state: GraphState) -> Driver:
    """An empty database with the schema applied, for tests that write."""
    delete_all(driver)
    graph_state.curated_loaded = False
    return driver


@pytest.fixture
def curated_db(driver: Driver, graph_state: GraphState) -> Driver:
    """The curated dataset, loaded once and shared by read-only tests."""
    if not graph_state.curated_loaded:
        delete_all(driver)
        pipeline.load(driver, pipeline.CURATED, [Path(PROJECT_ROOT / "data" / "curated")])
        graph_state.curated_loaded = True
    return driver


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.path):
            item.add_marker(pytest.mark.integration)
