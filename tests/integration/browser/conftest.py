"""Neo4j set up for Browser, the API serving the style and guide, and headless Chromium.

The session server of ``tests/conftest.py`` has a post-connect command for the default API
port; the Browser test needs one that points at an API on a free port, so it starts its own
local server (same jars) with the curated dataset. Chromium is Debian's package, driven by
Playwright's Python package: nothing is downloaded. A missing Chromium fails the run.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
import uvicorn
from neo4j import GraphDatabase

from api import pipeline
from api.app import create_app
from api.browser import GUIDE_PATH, router
from api.settings import PROJECT_ROOT, Settings
from graph import server
from graph.schema import apply_schema
from graph.server import free_port
from loaders.curated_format import DEFAULT_DIR

try:
    from playwright.sync_api import BrowserContext, Route, sync_playwright
except ImportError as error:  # a clear message instead of a bare ModuleNotFoundError
    raise ImportError(
        "the Browser tests drive Chromium with Playwright's Python package: "
        "`.venv/bin/pip install playwright` (never `playwright install`: Chromium comes "
        "from Debian's chromium package)"
    ) from error

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
PASSWORD = "pharmakg-browser-test"  # a throwaway server on loopback


@dataclass(frozen=True)
class BrowserStack:
    neo4j: server.ServerConfig
    api_url: str  # where the style and guide are served, e.g. http://127.0.0.1:PORT/browser


def _serve(app_port: int, cfg: server.ServerConfig) -> tuple[uvicorn.Server, threading.Thread]:
    settings = Settings(
        _env_file=None,
        neo4j_uri=cfg.bolt_uri,
        neo4j_password=cfg.password,
        PHARMAKG_CORS_ORIGINS=[cfg.http_url],
    )
    app = create_app(settings)
    if not any(getattr(route, "path", None) == GUIDE_PATH for route in app.routes):
        app.include_router(router)  # until create_app includes it
    api = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=app_port, log_level="warning"))
    thread = threading.Thread(target=api.run, name="browser-test-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not api.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail(f"the API did not start on 127.0.0.1:{app_port}", pytrace=False)
        time.sleep(0.05)
    return api, thread


@pytest.fixture(scope="package")
def browser_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserStack]:
    api_port = free_port()
    api_url = f"http://127.0.0.1:{api_port}/browser"
    cfg = server.ServerConfig(
        home=PROJECT_ROOT / ".neo4j",
        instance_dir=tmp_path_factory.mktemp("browser-neo4j"),
        password=PASSWORD,
        bolt_port=free_port(),
        http_port=free_port(),
        heap="1g",
        pagecache="256m",
        transaction_memory="256m",
        browser_post_connect_cmd=server.post_connect_commands(api_url),
    )
    server.start(cfg)  # a ServerError fails the tests: this is not optional
    try:
        with GraphDatabase.driver(cfg.bolt_uri, auth=("neo4j", PASSWORD)) as driver:
            apply_schema(driver)
            pipeline.load(driver, pipeline.CURATED, [DEFAULT_DIR])
        api, thread = _serve(api_port, cfg)
        try:
            yield BrowserStack(cfg, api_url)
        finally:
            api.should_exit = True
            thread.join(timeout=15)
    finally:
        server.stop(cfg)


def _loopback_only(route: Route) -> None:
    if urlparse(route.request.url).hostname in {"127.0.0.1", "localhost"}:
        route.continue_()
    else:
        route.abort()


@pytest.fixture(scope="package")
def chromium() -> Iterator[BrowserContext]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium with "
            "`apt-get install -y chromium` (the Browser test needs it; it never "
            "downloads a browser)",
            pytrace=False,
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="pharmakg-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        # A fresh profile (Playwright passes it as --user-data-dir).
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": VIEWPORT["width"], "height": VIEWPORT["height"]},
        )
        # Hermetic: Browser's fonts, analytics and crash reports stay unrequested, so a CI
        # machine without a network (or a slow resolver) behaves like this one.
        context.route("**/*", _loopback_only)
        try:
            yield context
        finally:
            context.close()
