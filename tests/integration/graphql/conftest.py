"""The GraphQL API in-process against the test Neo4j: an app per test, the router wired in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from neo4j import Driver

from api.app import create_app
from api.settings import Settings
from tests.conftest import Neo4jEndpoint

Json = dict[str, Any]


def make_settings(endpoint: Neo4jEndpoint, **overrides: Any) -> Settings:
    return Settings(
        neo4j_uri=endpoint.uri,
        neo4j_user=endpoint.user,
        neo4j_password=endpoint.password,
        **overrides,
    )


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan (the async driver) running, and a client talking to it."""
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url="http://pharmakg.test"
        ) as client,
    ):
        yield client


class GraphQL:
    """Posts queries; ``data`` insists on an answer without errors."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def post(self, query: str, variables: Json | None = None) -> Json:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}
        )
        assert response.status_code == 200, response.text
        body: Json = response.json()
        return body

    async def data(self, query: str, variables: Json | None = None) -> Json:
        body = await self.post(query, variables)
        assert not body.get("errors"), body["errors"]
        data: Json = body["data"]
        return data

    async def errors(self, query: str, variables: Json | None = None) -> list[Json]:
        body = await self.post(query, variables)
        assert body.get("errors"), body
        errors: list[Json] = body["errors"]
        return errors


@pytest.fixture
def settings(neo4j_endpoint: Neo4jEndpoint) -> Settings:
    return make_settings(neo4j_endpoint)


@pytest_asyncio.fixture
async def gql(curated_db: Driver, settings: Settings) -> AsyncIterator[GraphQL]:
    """The API over the curated dataset (read-only tests)."""
    del curated_db  # loaded: that is all this fixture needs from it
    async with serve(create_app(settings)) as client:
        yield GraphQL(client)


# -- counting round trips --------------------------------------------------------------------


class Counter:
    def __init__(self) -> None:
        self.runs = 0


class CountingSession:
    def __init__(self, session: Any, counter: Counter) -> None:
        self._session, self._counter = session, counter

    async def __aenter__(self) -> CountingSession:
        await self._session.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._session.__aexit__(*exc)

    async def run(self, *args: Any, **kwargs: Any) -> Any:
        self._counter.runs += 1
        return await self._session.run(*args, **kwargs)


class CountingDriver:
    """A thin proxy over the AsyncDriver counting every query sent (``session.run``)."""

    def __init__(self, driver: Any) -> None:
        self._driver = driver
        self.counter = Counter()

    def session(self, **kwargs: Any) -> CountingSession:
        return CountingSession(self._driver.session(**kwargs), self.counter)

    async def close(self) -> None:
        await self._driver.close()


class CountingLean:
    """The app's lean Bolt reads (``graph.lean_bolt``): each statement counted."""

    def __init__(self, lean: Any, counter: Counter) -> None:
        self._lean, self._counter = lean, counter

    async def fetch(self, query: str, params: Any) -> Any:
        self._counter.runs += 1
        return await self._lean.fetch(query, params)

    async def close(self) -> None:
        await self._lean.close()


def count_statements(app: Any) -> Counter:
    """Count every statement the app sends from now on, through its driver or its lean reads
    (one the lean reads leave to the driver counts twice)."""
    counting = CountingDriver(app.state.driver)
    app.state.driver = counting
    if app.state.lean_reads is not None:
        app.state.lean_reads = CountingLean(app.state.lean_reads, counting.counter)
    return counting.counter


async def count_round_trips(
    settings: Settings, query: str, variables: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    """The statements one request runs (the graph version too) and its data."""
    app = create_app(settings)
    async with serve(app) as client:
        counter = count_statements(app)
        body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
    assert not body.get("errors"), body["errors"]
    data: dict[str, Any] = body["data"]
    return counter.runs, data
