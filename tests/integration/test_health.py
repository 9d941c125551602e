"""GET /health: API version, Neo4j reachability and version; 503 when Neo4j is down."""

from __future__ import annotations

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from graph.server import free_port
from tests.conftest import Neo4jEndpoint


def settings_for(uri: str, password: str, *, production: bool = False) -> Settings:
    return Settings(neo4j_uri=uri, neo4j_password=password, PHARMAKG_PRODUCTION=production)


async def get_health(settings: Settings) -> httpx.Response:
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client,
    ):
        return await client.get("/health")


@pytest.mark.asyncio
async def test_health_reports_the_connected_server(neo4j_endpoint: Neo4jEndpoint) -> None:
    response = await get_health(settings_for(neo4j_endpoint.uri, neo4j_endpoint.password))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["neo4j"]["connected"] is True
    assert body["neo4j"]["version"].startswith("5.26")
    assert body["neo4j"]["uri"] == neo4j_endpoint.uri
    assert body["api_version"]


@pytest.mark.asyncio
async def test_health_in_production_does_not_say_where_neo4j_is(
    neo4j_endpoint: Neo4jEndpoint,
) -> None:
    settings = settings_for(neo4j_endpoint.uri, neo4j_endpoint.password, production=True)
    response = await get_health(settings)
    assert response.status_code == 200
    assert response.json()["neo4j"]["connected"] is True
    assert "uri" not in response.json()["neo4j"]
    assert neo4j_endpoint.uri not in response.text
    assert neo4j_endpoint.uri.rsplit(":", 1)[-1] not in response.text  # the port


@pytest.mark.asyncio
async def test_health_is_503_with_retry_after_when_neo4j_is_down() -> None:
    response = await get_health(settings_for(f"bolt://127.0.0.1:{free_port()}", "x"))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["status"] == "degraded"
    assert response.json()["neo4j"]["connected"] is False
