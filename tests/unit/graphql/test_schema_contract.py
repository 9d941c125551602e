"""The checked-in schema.graphql is the schema: any drift fails until it is re-exported."""

from __future__ import annotations

from pathlib import Path

from api.graphql.export_schema import SCHEMA_FILE, export, schema_sdl
from api.graphql.schema import build_schema

HOW = "the schema changed: run `python -m api.graphql.export_schema` and commit schema.graphql"


def test_checked_in_schema_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), HOW


def test_production_serves_the_same_schema() -> None:
    assert build_schema(production=True).as_str() == build_schema().as_str()


def test_export_writes_the_sdl(tmp_path: Path) -> None:
    written = export(tmp_path / "schema.graphql")
    assert written.read_text(encoding="utf-8") == schema_sdl()


def test_the_contract_names_every_question() -> None:
    sdl = schema_sdl()
    for field in (
        "entity(id: ID!)",
        "entities(name:",
        "search(text:",
        "studies(filter:",
        "measurements(filter:",
        "studiesConnecting(entities:",
        "paths(from:",
        "interactions(entity:",
        "pharmacology(compound:",
        "metabolism(compound:",
    ):
        assert field in sdl, field
    for category in (
        "Alkaloid",
        "Drug",
        "Receptor",
        "Enzyme",
        "TargetFamily",
        "Condition",
        "OutcomeMeasure",
        "Study",
        "Organism",
    ):
        assert f"type {category} implements" in sdl, category
