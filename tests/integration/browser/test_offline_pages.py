"""GraphiQL and /docs work offline: headless Chromium may reach 127.0.0.1 and nothing else.

Every request elsewhere is aborted (and recorded): the pages must load their scripts from the
API itself (``api.assets``), GraphiQL must answer the headline question, /docs must render.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
import uvicorn
from neo4j import Driver
from playwright.sync_api import BrowserContext, Page, Response, Route

from api import assets
from api.app import create_app
from api.settings import Settings
from graph.server import free_port
from tests.conftest import Neo4jEndpoint


@pytest.fixture(scope="module")
def api_url(neo4j_endpoint: Neo4jEndpoint) -> Iterator[str]:
    assert not assets.missing(), "run `make setup` (python -m api.assets) first"
    # A patient query timeout: the test machine may be busy.
    settings = Settings(
        _env_file=None,
        neo4j_uri=neo4j_endpoint.uri,
        neo4j_user=neo4j_endpoint.user,
        neo4j_password=neo4j_endpoint.password,
        PHARMAKG_QUERY_TIMEOUT=120,
    )
    port = free_port()
    api = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=api.run, name="offline-pages-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not api.started:
        assert thread.is_alive(), "the API stopped"
        assert time.monotonic() < deadline, "the API did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        api.should_exit = True
        thread.join(timeout=20)


@pytest.fixture
def offline_page(api_url: str, chromium: BrowserContext) -> Iterator[tuple[Page, list[str]]]:
    """A page of the package's one Chromium (a second Playwright in the same thread cannot
    start) whose every request off 127.0.0.1 is aborted and recorded."""
    del api_url
    blocked: list[str] = []

    def only_loopback(route: Route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page = chromium.new_page()
    page.route("**/*", only_loopback)
    try:
        yield page, blocked
    finally:
        page.close()


def test_graphiql_renders_and_answers_the_headline_question(
    curated_db: Driver, api_url: str, offline_page: tuple[Page, list[str]]
) -> None:
    del curated_db  # loaded: the headline question has its answer
    page, blocked = offline_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{api_url}/graphql")

    def headline(response: Response) -> bool:  # not GraphiQL's own introspection query
        return "studiesConnecting" in (response.request.post_data or "")

    with page.expect_response(headline, timeout=180_000) as answer:
        page.locator(".graphiql-execute-button").click(timeout=60_000)
    body = answer.value.json()
    assert body["data"]["studiesConnecting"]["__typename"] == "ConnectingStudies", body
    assert "PMID:24464759" in answer.value.text()  # Hazim et al. 2014
    page.locator(".result-window").get_by_text("ConnectingStudies").first.wait_for()
    assert errors == []
    assert blocked == []


def test_the_api_docs_render(api_url: str, offline_page: tuple[Page, list[str]]) -> None:
    page, blocked = offline_page
    page.goto(f"{api_url}/docs")
    page.locator(".swagger-ui .info .title").get_by_text("PharmaKG").wait_for(timeout=60_000)
    page.locator(".opblock-summary-path", has_text="/rdf/export").first.wait_for()
    assert blocked == []
