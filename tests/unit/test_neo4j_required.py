"""The one skip site of the suite (tests/conftest.py) cannot hide a missing Neo4j in CI."""

from __future__ import annotations

import pytest

from tests.conftest import _missing


@pytest.mark.parametrize(("name", "value"), [("CI", "true"), ("CI", "1"), ("NEO4J_REQUIRED", "1")])
def test_a_missing_server_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("NEO4J_REQUIRED", raising=False)
    monkeypatch.setenv(name, value)
    with pytest.raises(pytest.fail.Exception, match="Neo4j is required"):
        _missing("port taken")


def test_a_missing_server_skips_only_on_a_developer_machine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("NEO4J_REQUIRED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Neo4j server"):
        _missing("port taken")
