"""The local server: start -> RETURN 1 -> stop leaves no process; data survives a restart."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph import server
from graph.errors import ServerError


def _java_pids(cfg: server.ServerConfig) -> list[int]:
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if str(cfg.conf_dir) in text and server.MAIN_CLASS in text:
            pids.append(int(cmdline.parent.name))
    return pids


def test_start_query_stop_restart_keeps_data(own_server: server.ServerConfig) -> None:
    cfg = own_server
    try:
        status = server.start(cfg)
        assert status.running
        assert server.start(cfg).pid == status.pid  # idempotent: the same process
        with GraphDatabase.driver(cfg.bolt_uri, auth=("neo4j", cfg.password)) as driver:
            assert driver.execute_query("RETURN 1 AS one").records[0]["one"] == 1
            driver.execute_query("CREATE (:Marker {name: 'first start'})")
        assert server.stop(cfg)
        assert _java_pids(cfg) == []
        assert not server.status(cfg).running

        server.start(cfg)
        with GraphDatabase.driver(cfg.bolt_uri, auth=("neo4j", cfg.password)) as driver:
            found = driver.execute_query("MATCH (m:Marker) RETURN m.name AS name").records
        assert [r["name"] for r in found] == ["first start"]
    finally:
        server.stop(cfg)
    assert _java_pids(cfg) == []


def test_browser_answers_over_http(neo4j_endpoint: object) -> None:
    http_url = getattr(neo4j_endpoint, "http_url", None)
    assert http_url, "the session server must expose HTTP"
    import httpx  # noqa: PLC0415

    response = httpx.get(f"{http_url}/browser/", timeout=10)
    assert response.status_code == 200
    assert "neo4j" in response.text.lower()


def test_a_taken_port_is_a_clear_error(own_server: server.ServerConfig) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", own_server.bolt_port))
        blocker.listen()
        with pytest.raises(ServerError, match=f"Port {own_server.bolt_port} .* already taken"):
            server.start(own_server)


def test_a_server_that_fails_to_start_shows_its_log(own_server: server.ServerConfig) -> None:
    broken = server.ServerConfig(**{**own_server.__dict__, "heap": "notasize"})
    # An existing auth file skips neo4j-admin, so the server process itself meets the bad size.
    (broken.data_dir / "dbms").mkdir(parents=True)
    (broken.data_dir / "dbms" / "auth.ini").touch()
    with pytest.raises(ServerError, match=r"(?s)exited with code .*Last lines of its logs.*heap"):
        server.start(broken, timeout=60)
    assert _java_pids(broken) == []


def test_missing_maven_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServerError, match="Maven"):
        server.fetch_jars(tmp_path / "empty-home")


def test_missing_java_is_a_clear_error(
    own_server: server.ServerConfig, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServerError, match="Java is not installed"):
        server.start(own_server)


def test_a_bad_setting_is_reported_before_starting(own_server: server.ServerConfig) -> None:
    broken = server.ServerConfig(**{**own_server.__dict__, "pagecache": "lots"})
    with pytest.raises(ServerError, match="'lots' is not a valid size"):
        server.start(broken)
