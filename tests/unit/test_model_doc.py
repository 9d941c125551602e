"""docs/model.md holds the diagram and tables that docs/gen_model_diagram.py makes now."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from api.settings import PROJECT_ROOT
from ontology.vocab import CATEGORIES, PREDICATES

SCRIPT = PROJECT_ROOT / "docs" / "gen_model_diagram.py"
MODEL_DOC = PROJECT_ROOT / "docs" / "model.md"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_model_diagram", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_model_doc_contains_the_current_diagram(generator: ModuleType) -> None:
    assert generator.mermaid() in MODEL_DOC.read_text()


def test_every_generated_block_is_current(generator: ModuleType) -> None:
    text = MODEL_DOC.read_text()
    assert generator.render(text) == text, "run: python docs/gen_model_diagram.py"


def test_the_diagram_names_every_category_and_relationship_type(generator: ModuleType) -> None:
    diagram = generator.mermaid()
    assert all(info.label in diagram for info in CATEGORIES.values())
    assert all(info.rel_type in diagram for info in PREDICATES.values())


def test_a_stale_block_is_noticed(generator: ModuleType) -> None:
    text = MODEL_DOC.read_text().replace("-->|SUBCLASS_OF|", "-->|PART_OF|")
    assert generator.render(text) != text
    assert generator.main(["--check"]) == 0
