"""The FastAPI application: one async driver per process, created in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from neo4j import AsyncDriver, AsyncGraphDatabase
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from api import assets, browser, lod, rdf
from api.conditional import VersionETags
from api.graphql import graphql_endpoint, graphql_router
from api.graphql.cache import AnswerCache, CachedGraphQL, CoalescedVersion
from api.graphql.compiled import CompiledAnswers, CompiledGraphQL
from api.graphql.context import app_reader
from api.head import HeadAsGet
from api.settings import Settings
from graph import version as graph_version
from graph.errors import GraphError
from graph.lean_bolt import lean_for
from graph.stats import server_version

API_VERSION = version("pharmakg")
RDF_ROUTES = ("/rdf/", "/entity/", "/edge/")  # answers that depend on the graph: ETags


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The driver connects lazily: the API starts (and says "degraded") while Neo4j is down.
        # Short retries: a request should say "graph unavailable" in seconds, not after 30 s.
        driver = AsyncGraphDatabase.driver(
            settings.neo4j_uri, auth=settings.auth, max_transaction_retry_time=2.0
        )
        app.state.driver = driver
        app.state.settings = settings
        app.state.lean_reads = lean_for(
            settings.neo4j_uri,
            settings.auth,
            settings.neo4j_database,
            settings.query_timeout_seconds,
        )
        try:
            yield
        finally:
            if app.state.lean_reads is not None:
                await app.state.lean_reads.close()
            await driver.close()

    # /docs from local assets (api.assets), not FastAPI's CDN page
    app = FastAPI(
        title="PharmaKG", version=API_VERSION, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    graphql = graphql_endpoint(settings)
    if settings.compiled_answers:  # inside the cache: its answers are cached like the rest
        app.add_middleware(
            CompiledGraphQL,
            path="/graphql",
            answers=CompiledAnswers(graphql.schema, production=settings.production),
        )
    version = CoalescedVersion(graph_version_of)  # one read for the requests that wait together
    if settings.response_cache_mb:  # inside CORS: a cached answer holds no CORS headers
        app.add_middleware(
            CachedGraphQL,
            path="/graphql",
            version=version,
            cache=AnswerCache(settings.response_cache_mb * 2**20),
        )
    app.add_middleware(VersionETags, prefixes=RDF_ROUTES, version=version)
    # Locally, Neo4j Browser may run on any loopback port; production lists its origins.
    loopback = None if settings.production else r"http://(127\.0\.0\.1|localhost):\d+"
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_origin_regex=loopback,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["*"],
    )
    app.add_api_route("/health", health, methods=["GET"], summary="API and Neo4j health")
    app.include_router(browser.router)
    if not settings.production:
        app.add_api_route(
            "/docs",
            lambda: assets.swagger_page("/openapi.json", "PharmaKG API"),
            methods=["GET"],
            include_in_schema=False,
        )
    app.include_router(assets.router)
    app.state.graphql = graphql  # POST /rdf/graphql runs its queries in process
    app.include_router(graphql_router(settings, graphql), prefix="/graphql")
    app.include_router(rdf.router)
    app.include_router(lod.router)
    app.add_middleware(HeadAsGet)  # HEAD wherever GET is, on every route
    return app


async def graph_version_of(scope: MutableMapping[str, Any]) -> str | None:
    """The graph's version token for the response cache (None: do not cache)."""
    try:
        return await graph_version.read(app_reader(scope["app"].state))
    except (GraphError, DriverError, OSError):  # the request itself will say what is wrong
        return None


async def health(request: Request) -> JSONResponse:
    """API version, whether Neo4j answers and its version; 503 when it does not.

    Locally it also shows the Neo4j URI it uses; with the production setting it does not.
    """
    driver: AsyncDriver = request.app.state.driver
    settings: Settings = request.app.state.settings
    neo4j: dict[str, Any] = {"connected": False}
    if not settings.production:  # where the database lives is no business of the public
        neo4j["uri"] = settings.neo4j_uri
    body: dict[str, Any] = {"status": "ok", "api_version": API_VERSION, "neo4j": neo4j}
    try:
        server = await server_version(driver, database=settings.neo4j_database)
    except (ServiceUnavailable, SessionExpired, Neo4jError, OSError) as error:
        body["status"] = "degraded"
        body["neo4j"]["error"] = type(error).__name__
        return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})
    body["neo4j"].update(connected=True, version=server.version, edition=server.edition)
    return JSONResponse(body)
