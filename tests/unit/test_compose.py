"""docker-compose.yml cannot run here; it must still agree with the local path."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from api.settings import PROJECT_ROOT, Settings
from graph import server


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    return loaded


def test_neo4j_image_matches_the_local_server_version(compose: dict[str, Any]) -> None:
    image = compose["services"]["neo4j"]["image"]
    assert image == "neo4j:5.26-community"
    assert server.NEO4J_VERSION.startswith("5.26.")


def test_ports_match_the_local_defaults(compose: dict[str, Any]) -> None:
    ports = compose["services"]["neo4j"]["ports"]
    settings = Settings(_env_file=None)
    assert f"127.0.0.1:7687:{settings.bolt_port}" in ports
    assert "127.0.0.1:7474:7474" in ports
    assert f"127.0.0.1:{settings.api_port}:8000" in compose["services"]["api"]["ports"]


def test_memory_settings_match_the_generated_config(compose: dict[str, Any]) -> None:
    env = compose["services"]["neo4j"]["environment"]
    cfg = server.ServerConfig(home=PROJECT_ROOT, instance_dir=PROJECT_ROOT, password="x")
    conf = server.render_config(cfg)
    assert f"server.memory.heap.max_size={env['NEO4J_server_memory_heap_max__size']}" in conf
    assert f"server.memory.pagecache.size={env['NEO4J_server_memory_pagecache_size']}" in conf


def test_api_and_loader_wait_for_a_healthy_neo4j(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "healthcheck" in services["neo4j"]
    for name in ("api", "loader"):
        assert services[name]["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert services["api"]["depends_on"]["loader"]["condition"] == "service_completed_successfully"


def test_auth_comes_from_the_environment(compose: dict[str, Any]) -> None:
    assert "${NEO4J_PASSWORD" in compose["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    assert set(compose["volumes"]) == {"neo4j-data", "neo4j-logs"}


def test_the_api_leaves_neo4j_on_the_same_host_half_the_cores(compose: dict[str, Any]) -> None:
    env = compose["services"]["api"]["environment"]
    settings = Settings(_env_file=None, **env)
    assert settings.neo4j_shares_machine is True
    assert "--workers" not in compose["services"]["api"]["command"]  # the default applies
