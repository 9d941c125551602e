"""Fixtures shared by the source-loader tests: the fixture folder and a rejection collector."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.base import Collector

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture
def collector() -> Collector:
    return Collector()


def fixture(source: str, name: str) -> Path:
    path = FIXTURES / source / name
    assert path.exists(), f"missing fixture {path}"
    return path
