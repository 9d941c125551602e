"""The whole API (GraphQL, RDF, health) against the test Neo4j: in-process or on a loopback port."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from neo4j import Driver

from api.app import create_app
from api.settings import Settings
from graph.server import free_port
from tests.conftest import Neo4jEndpoint

Json = dict[str, Any]


def make_settings(uri: str, password: str, **overrides: Any) -> Settings:
    return Settings(neo4j_uri=uri, neo4j_password=password, **overrides)


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan running, and an in-process client."""
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://pharmakg.test", timeout=120
        ) as client,
    ):
        yield client


@contextmanager
def live(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port in a thread; its base URL."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture
def settings(neo4j_endpoint: Neo4jEndpoint) -> Settings:
    return make_settings(neo4j_endpoint.uri, neo4j_endpoint.password)


@pytest.fixture
def live_api(curated_db: Driver, settings: Settings) -> Iterator[str]:
    """The API over the curated data, served on loopback for the fuzzers."""
    del curated_db
    with live(create_app(settings)) as url:
        yield url


def dump(driver: Driver) -> list[str]:
    """Every node and relationship with all its properties, sorted: the graph's content."""
    nodes = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", routing_="r"
    ).records
    edges = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props",
        routing_="r",
    ).records
    return sorted(
        [repr((sorted(r["labels"]), sorted(r["props"].items()))) for r in nodes]
        + [repr((r["a"], r["type"], r["b"], sorted(r["props"].items()))) for r in edges]
    )
