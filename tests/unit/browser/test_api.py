"""GET /browser/style.grass and /browser/guide.html, with the CORS answers Neo4j Browser needs."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.browser import GUIDE_PATH, STYLE_PATH, router
from api.settings import Settings
from browser.guide import render_guide
from browser.style import render_grass
from graph import server

NEO4J_ORIGIN = "http://127.0.0.1:7474"  # where Neo4j serves Browser by default
# What Browser's fetch of a remote guide sends: these headers force a preflight.
GUIDE_PREFLIGHT = {
    "Origin": NEO4J_ORIGIN,
    "Access-Control-Request-Method": "GET",
    "Access-Control-Request-Headers": "cache-control,pragma",
}


@pytest.fixture(scope="module")
def bare() -> Iterator[TestClient]:
    """The router alone, as any app would include it."""
    app = FastAPI()
    app.include_router(router)
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def full() -> Iterator[TestClient]:
    """The real app with its CORS middleware; the driver connects lazily, so no Neo4j."""
    app = create_app(Settings(_env_file=None))
    if not any(getattr(r, "path", None) == GUIDE_PATH for r in app.routes):
        app.include_router(router)  # until create_app includes it
    with TestClient(app) as client:
        yield client


def test_the_style_sheet_is_served_to_any_origin(bare: TestClient) -> None:
    response = bare.get(STYLE_PATH, headers={"Origin": NEO4J_ORIGIN})
    assert response.status_code == 200
    assert response.text == render_grass()
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cache-control"] == "no-cache"


def test_the_guide_is_served_as_html(bare: TestClient) -> None:
    response = bare.get(GUIDE_PATH, headers={"Origin": NEO4J_ORIGIN})
    assert response.status_code == 200
    assert response.text == render_guide()
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", [STYLE_PATH, GUIDE_PATH])
def test_a_preflight_allows_the_headers_browser_sends(bare: TestClient, path: str) -> None:
    response = bare.options(path, headers=GUIDE_PREFLIGHT)
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    allowed = {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")
    }
    assert {"cache-control", "pragma"} <= allowed
    assert "GET" in response.headers["access-control-allow-methods"]


def test_within_the_app_a_listed_neo4j_origin_passes_the_preflight(full: TestClient) -> None:
    response = full.options(GUIDE_PATH, headers=GUIDE_PREFLIGHT)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == NEO4J_ORIGIN
    guide = full.get(GUIDE_PATH, headers={"Origin": NEO4J_ORIGIN})
    assert guide.status_code == 200
    assert guide.headers["access-control-allow-origin"] in {NEO4J_ORIGIN, "*"}


def test_the_post_connect_commands_point_at_these_routes() -> None:
    commands = server.post_connect_commands(server.DEFAULT_BROWSER_CONTENT_URL).split("; ")
    assert [c.split(" ")[0] for c in commands] == ["style", "play"]
    paths = [urlparse(c.split(" ")[1]).path for c in commands]
    assert paths == [STYLE_PATH, GUIDE_PATH]


def test_the_default_content_url_is_the_default_api_address() -> None:
    settings = Settings(_env_file=None)
    url = urlparse(server.DEFAULT_BROWSER_CONTENT_URL)
    assert (url.hostname, url.port) == (settings.api_host, settings.api_port)
    assert url.hostname in server.BROWSER_ALLOWLIST.split(",")
