"""How many API workers `pharmakg serve` starts when not told: Neo4j on the same machine keeps
half the cores."""

from __future__ import annotations

import pytest

from api.settings import Settings


@pytest.mark.parametrize(
    ("uri", "shares", "workers"),
    [
        ("bolt://127.0.0.1:7687", None, 4),  # Neo4j here (the local path): half of 8 cores
        ("neo4j://localhost:7687", None, 4),
        ("bolt://[::1]:7687", None, 4),
        ("bolt://neo4j:7687", None, 8),  # a name: another machine, unless told otherwise
        ("neo4j+s://graph.example.org:7687", None, 8),
        ("bolt://neo4j:7687", True, 4),  # compose: both containers on one host
        ("bolt://127.0.0.1:7687", False, 8),
    ],
)
def test_api_workers_leave_neo4j_half_the_cores_of_a_machine_they_share(
    monkeypatch: pytest.MonkeyPatch, uri: str, shares: bool | None, workers: int
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    settings = Settings(_env_file=None, NEO4J_URI=uri, PHARMAKG_NEO4J_SHARES_MACHINE=shares)
    assert settings.api_workers == workers


@pytest.mark.parametrize("cores", [1, 2, 3, None])
def test_a_machine_shared_with_neo4j_still_gets_one_worker(
    monkeypatch: pytest.MonkeyPatch, cores: int | None
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    assert Settings(_env_file=None, NEO4J_URI="bolt://127.0.0.1:7687").api_workers == 1
