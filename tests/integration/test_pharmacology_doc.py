"""docs/pharmacology.md and its picture show what the curated graph holds now."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from neo4j import Driver

from api.settings import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "docs" / "gen_pharmacology.py"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_pharmacology", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_the_receptor_profile_is_current(generator: ModuleType, curated_db: Driver) -> None:
    assert generator.stale(curated_db) == [], "run: python docs/gen_pharmacology.py"


def test_every_cell_names_its_sources(generator: ModuleType, curated_db: Driver) -> None:
    profile = generator.read_profile(curated_db)
    assert profile.cells
    for edges in profile.cells.values():
        text = generator.describe(edges, profile.sources)
        assert text.endswith("]"), text


def test_a_stale_picture_is_found(
    generator: ModuleType, curated_db: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "old.png"
    profile = generator.read_profile(curated_db)
    generator.draw(profile, other, "0000000000000000")
    monkeypatch.setattr(generator, "PICTURE", other)
    assert generator.stale(curated_db) == [str(other)]
