"""neo4j.conf and docker-compose.yml set the Browser settings that Neo4j 5.26 declares."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from api.settings import PROJECT_ROOT
from graph import server

# The browser.* and client.* settings Neo4j 5.26.30 Community declares (ServerSettings in
# neo4j-server-5.26.30.jar). Browser 5.24 reads them through dbms.clientConfig(); the
# "_allowlist" spelling and browser.allow_outgoing_connections are not declared in Community.
DECLARED = {
    "browser.post_connect_cmd",
    "browser.remote_content_hostname_whitelist",
    "client.allow_telemetry",
}


def _conf(cfg: server.ServerConfig) -> dict[str, str]:
    lines = [
        line for line in server.render_config(cfg).splitlines() if line and not line.startswith("#")
    ]
    return dict(line.split("=", 1) for line in lines)


@pytest.fixture
def cfg(tmp_path: Path) -> server.ServerConfig:
    return server.ServerConfig(
        home=tmp_path, instance_dir=tmp_path / "db", password="x", bolt_port=7701, http_port=7402
    )


def test_only_declared_browser_settings_are_written(cfg: server.ServerConfig) -> None:
    written = {k for k in _conf(cfg) if k.startswith(("browser.", "client."))}
    assert written == DECLARED


def test_strict_validation_stays_on(cfg: server.ServerConfig) -> None:
    # Every setting is declared, so neo4j-admin and the server can validate strictly.
    assert "server.config.strict_validation.enabled" not in _conf(cfg)


def test_connecting_applies_the_style_then_opens_the_guide(cfg: server.ServerConfig) -> None:
    conf = _conf(cfg)
    assert conf["browser.post_connect_cmd"] == (
        "style http://127.0.0.1:8000/browser/style.grass; "
        "play http://127.0.0.1:8000/browser/guide.html"
    )
    assert conf["browser.remote_content_hostname_whitelist"] == "localhost,127.0.0.1"
    assert conf["client.allow_telemetry"] == "false"


def test_the_api_address_can_be_chosen(tmp_path: Path) -> None:
    cfg = server.ServerConfig(
        home=tmp_path,
        instance_dir=tmp_path,
        password="x",
        browser_post_connect_cmd=server.post_connect_commands("http://localhost:9000/browser/"),
    )
    assert _conf(cfg)["browser.post_connect_cmd"] == (
        "style http://localhost:9000/browser/style.grass; "
        "play http://localhost:9000/browser/guide.html"
    )


def test_no_post_connect_command_writes_no_setting(tmp_path: Path) -> None:
    cfg = server.ServerConfig(
        home=tmp_path, instance_dir=tmp_path, password="x", browser_post_connect_cmd=""
    )
    assert "browser.post_connect_cmd" not in _conf(cfg)


def test_the_printed_browser_url_fills_in_the_connect_form(cfg: server.ServerConfig) -> None:
    url = urlparse(cfg.browser_url)
    assert f"{url.scheme}://{url.netloc}" == cfg.http_url
    assert url.path == "/browser/"
    query = parse_qs(url.query)
    assert query["dbms"] == ["neo4j://neo4j@127.0.0.1:7701"]
    # NATIVE is Browser's username/password method ("BASIC" is not one of its methods).
    assert query["preselectAuthMethod"] == ["NATIVE"]


def _compose_setting(variable: str) -> str:
    """The neo4j.conf name the Docker image derives from a NEO4J_* variable."""
    return variable.removeprefix("NEO4J_").replace("__", "\0").replace("_", ".").replace("\0", "_")


def test_compose_sets_the_same_browser_settings_as_the_local_server(
    cfg: server.ServerConfig,
) -> None:
    compose: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    env: dict[str, str] = compose["services"]["neo4j"]["environment"]
    browser_env = {
        _compose_setting(k): str(v)
        for k, v in env.items()
        if k.startswith(("NEO4J_browser_", "NEO4J_client_"))
    }
    local = {k: v for k, v in _conf(cfg).items() if k in DECLARED}
    assert browser_env == local
