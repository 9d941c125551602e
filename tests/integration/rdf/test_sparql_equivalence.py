"""SPARQL over the Turtle export answers the main questions as Cypher does over Neo4j.

For each dataset (the curated data and the fixture graph), the graph is loaded into Neo4j,
exported as Turtle through the streamed path, and loaded into pyoxigraph and rdflib. Each
query of docs/queries/*.rq runs on both stores; its answer must equal the answer of the same
question asked in Cypher through the driver (the oracle, in questions.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.rdf.questions import QUERIES, QUESTIONS, Answers
from tests.unit.rdf import fixture_graph as fx


@pytest.mark.parametrize("dataset", ["curated", "fixture"])
@pytest.mark.parametrize("question", QUESTIONS)
def test_sparql_answers_as_cypher_does(
    answers_for: Callable[[str], Answers], dataset: str, question: str
) -> None:
    found = answers_for(dataset)
    assert found.oxigraph[question] == found.cypher[question]
    assert found.rdflib[question] == found.cypher[question]


def test_the_curated_data_answers_the_hazim_study(answers_for: Callable[[str], Answers]) -> None:
    found = answers_for("curated")
    assert ("PMID:24464759",) in found.oxigraph["studies-connecting"]
    assert found.cypher["metabolism"], "the curated data lists mitragynine's metabolism"


def test_the_fixture_answers_every_question_with_its_near_misses_left_out(
    answers_for: Callable[[str], Answers],
) -> None:
    found = answers_for("fixture").oxigraph
    assert {row[0] for row in found["studies-connecting"]} == fx.EXPECTED_STUDIES
    assert len(found["pharmacology"]) == fx.EXPECTED_MOR_EDGES
    assert {row[4] for row in found["pharmacology"]} == {233.0, 709.0, 339.0}
    assert {(row[0], row[2], row[3]) for row in found["metabolism"]} == fx.EXPECTED_METABOLISM
    assert {row[1] for row in found["interactions"]} == fx.EXPECTED_KRATOM_PARTNERS


def test_every_question_has_its_sparql_file() -> None:
    for question in QUESTIONS:
        assert Path(QUERIES / f"{question}.rq").is_file()
