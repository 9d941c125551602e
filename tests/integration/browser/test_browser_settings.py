"""The server declares every Browser setting we write and hands them to Browser over Bolt."""

from __future__ import annotations

from neo4j import GraphDatabase

from graph import server
from tests.integration.browser.conftest import BrowserStack


def test_browser_reads_the_post_connect_command_and_the_allowlist(
    browser_stack: BrowserStack,
) -> None:
    cfg = browser_stack.neo4j
    with GraphDatabase.driver(cfg.bolt_uri, auth=("neo4j", cfg.password)) as driver:
        # The procedure Browser calls after connecting.
        records, _, _ = driver.execute_query("CALL dbms.clientConfig()", database_="system")
    settings = {record["name"]: record["value"] for record in records}
    assert settings["browser.post_connect_cmd"] == server.post_connect_commands(
        browser_stack.api_url
    )
    assert settings["browser.remote_content_hostname_whitelist"] == server.BROWSER_ALLOWLIST
    assert settings["client.allow_telemetry"] == "false"


def test_the_server_recognises_every_setting_it_was_given(browser_stack: BrowserStack) -> None:
    log = (browser_stack.neo4j.logs_dir / "neo4j.log").read_text(errors="replace")
    assert "Started." in log
    assert "Unrecognized setting" not in log
    # Strict validation is on (the default): an unknown setting would have stopped the start.
    conf = (browser_stack.neo4j.conf_dir / "neo4j.conf").read_text()
    assert "strict_validation" not in conf
