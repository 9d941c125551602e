"""`pharmakg load` and `pharmakg stats` as a user runs them, against the real server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from graph.stats import graph_stats
from loaders.curated_format import DEFAULT_DIR
from tests.conftest import GraphState, Neo4jEndpoint


def pharmakg(endpoint: Neo4jEndpoint, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NEO4J_URI": endpoint.uri,
        "NEO4J_USER": endpoint.user,
        "NEO4J_PASSWORD": endpoint.password,
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_loading_the_curated_data_twice_changes_nothing(
    neo4j_endpoint: Neo4jEndpoint, clean_db: Driver, graph_state: GraphState
) -> None:
    first = pharmakg(neo4j_endpoint, "load", "curated")
    assert first.returncode == 0, first.stderr
    counts = graph_stats(clean_db)
    second = pharmakg(neo4j_endpoint, "load", "curated")
    assert second.returncode == 0, second.stderr
    assert graph_stats(clean_db) == counts
    assert "rejected: 0" in second.stdout
    # Every record of the second run is reported unchanged.
    assert " 0 │ " in second.stdout or "0 |" in second.stdout
    stats = pharmakg(neo4j_endpoint, "stats")
    assert "edges without a citation: 0" in stats.stdout
    assert counts.nodes["Study"] >= 30
    graph_state.curated_loaded = True


def test_dry_run_writes_nothing(neo4j_endpoint: Neo4jEndpoint, clean_db: Driver) -> None:
    result = pharmakg(neo4j_endpoint, "load", "curated", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "dry run" in result.stdout
    assert graph_stats(clean_db).node_total == 0


@pytest.fixture
def broken_dataset(tmp_path: Path) -> Path:
    import shutil  # noqa: PLC0415

    copy = tmp_path / "curated"
    shutil.copytree(DEFAULT_DIR, copy)
    drugs = copy / "drugs.yaml"
    drugs.write_text(drugs.read_text().replace("CHEBI:17303", "CHEBBI:17303", 1))
    return copy


def test_bad_records_are_reported_and_exit_2(
    neo4j_endpoint: Neo4jEndpoint, clean_db: Driver, broken_dataset: Path
) -> None:
    result = pharmakg(neo4j_endpoint, "load", "curated", str(broken_dataset))
    assert result.returncode == 2
    assert "drugs.yaml:" in result.stderr
    assert "unknown CURIE prefix 'CHEBBI'" in result.stderr
    # Every rejection, with its file, line or record, field and reason, in a JSON Lines file.
    path = Path(result.stderr.split("rejection(s): ")[1].split()[0])
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert rows
    assert all(set(row) == {"file", "line", "record", "field", "reason"} for row in rows)
    assert any(row["file"].endswith("drugs.yaml") and "CHEBBI" in row["reason"] for row in rows)
    path.unlink()


def test_a_reload_lists_what_it_retracts(
    neo4j_endpoint: Neo4jEndpoint, clean_db: Driver, tmp_path: Path
) -> None:
    import shutil  # noqa: PLC0415

    copy = tmp_path / "curated"
    shutil.copytree(DEFAULT_DIR, copy)
    assert pharmakg(neo4j_endpoint, "load", "curated", str(copy)).returncode == 0
    safety = copy / "safety.yaml"
    record = safety.read_text().split("\n\n")[1]  # the first finding after the header
    safety.write_text(safety.read_text().replace(record + "\n\n", "", 1))
    result = pharmakg(neo4j_endpoint, "load", "curated", str(copy))
    assert result.returncode == 0, result.stderr
    assert "retracted 1 (no longer stated by curated)" in result.stdout
    assert "retracted edge " in result.stdout
    assert "-[ADVERSE_EFFECT]->" in result.stdout


def test_strict_stops_and_writes_nothing(
    neo4j_endpoint: Neo4jEndpoint, clean_db: Driver, broken_dataset: Path
) -> None:
    result = pharmakg(neo4j_endpoint, "load", "curated", str(broken_dataset), "--strict")
    assert result.returncode == 1
    assert "CHEBBI" in result.stderr
    assert graph_stats(clean_db).node_total == 0


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    endpoint = Neo4jEndpoint("bolt://127.0.0.1:1", "neo4j", "x")
    result = pharmakg(endpoint, "stats")
    assert result.returncode == 1
    assert "Neo4j is not reachable" in result.stderr


@pytest.mark.parametrize(
    "options", [["--dry-run"], ["--per-batch"], ["--start-at", "10"], ["--dry-run", "--per-batch"]]
)
def test_bulk_refuses_options_it_cannot_honour(
    neo4j_endpoint: Neo4jEndpoint, clean_db: Driver, options: list[str]
) -> None:
    result = pharmakg(neo4j_endpoint, "load", "--bulk", *options)
    assert result.returncode == 1
    assert "--bulk cannot be combined with" in result.stderr
    for option in options:
        if option.startswith("--"):
            assert option in result.stderr
    clean_db.verify_connectivity()  # the server was not stopped for an import
    assert graph_stats(clean_db).node_total == 0
