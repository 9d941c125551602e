"""SPARQL over the RDF export answers the main questions as the GraphQL API does.

The GraphQL side runs the saved queries of docs/queries/*.graphql through the real API;
the SPARQL side runs docs/queries/*.rq over the Turtle export (see
test_sparql_equivalence.py). GraphQL answers are richer (grades, summaries, inferred risks);
the comparison keeps what both state: which studies, which measurements, which enzymes and
metabolites, which reported interaction partners, and the citations behind each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import PROJECT_ROOT, Settings
from ontology.vocab import Measure, Predicate, Unit
from tests.conftest import Neo4jEndpoint
from tests.integration.rdf.questions import Answers
from tests.unit.rdf import fixture_graph as fx

QUERIES = PROJECT_ROOT / "docs" / "queries"
VARIABLES: dict[str, dict[str, Any]] = {
    "studies-connecting": {"entities": [fx.MITRAGYNINE, fx.OPIOID_FAMILY, fx.ANXIETY],
                           "first": 100},
    "pharmacology": {"compound": fx.MITRAGYNINE, "target": fx.MOR},
    "metabolism": {"compound": fx.MITRAGYNINE},
    "interactions": {"entity": "kratom"},
}
Projection = dict[Any, frozenset[str]]


@pytest.fixture
def ask(neo4j_endpoint: Neo4jEndpoint) -> Iterator[Callable[[str], dict[str, Any]]]:
    settings = Settings(neo4j_uri=neo4j_endpoint.uri, neo4j_user=neo4j_endpoint.user,
                        neo4j_password=neo4j_endpoint.password)
    with TestClient(create_app(settings)) as client:
        def run(question: str) -> dict[str, Any]:
            query = (QUERIES / f"{question}.graphql").read_text(encoding="utf-8")
            response = client.post("/graphql", json={"query": query,
                                                     "variables": VARIABLES[question]})
            body: dict[str, Any] = response.json()
            assert response.status_code == 200, body
            assert not body.get("errors"), body["errors"]
            data: dict[str, Any] = body["data"]
            return data
        yield run


def _citations(evidence: list[dict[str, Any]]) -> frozenset[str]:
    return frozenset(c["curie"] for e in evidence for c in e["citations"])


# -- GraphQL answers, projected --------------------------------------------------------------


def graphql_studies(data: dict[str, Any]) -> set[str]:
    answer = data["studiesConnecting"]
    if answer["__typename"] != "ConnectingStudies":
        return set()
    return {node["study"]["id"] for node in answer["studies"]["nodes"]}


def graphql_pharmacology(data: dict[str, Any]) -> Projection:
    answer = data["pharmacology"]
    found: dict[Any, set[str]] = defaultdict(set)
    for m in answer["measurements"]:
        q = m["quantity"]
        key = (Predicate[m["action"]], Measure[q["measure"]].value, q["value"],
               Unit[q["unit"]].value)
        found[key] |= {c["curie"] for c in m["citations"]}
    for item in answer["qualitative"]:
        if item["evidence"]["negated"]:  # a null finding: left out on both sides
            continue
        found[(Predicate[item["predicate"]], None, None, None)] |= _citations(
            [item["evidence"]])
    return {k: frozenset(v) for k, v in found.items()}


def graphql_metabolism(data: dict[str, Any]) -> Projection:
    step = next(s for s in data["metabolism"]["steps"] if s["depth"] == 0)
    found: dict[Any, set[str]] = defaultdict(set)
    for predicate, entries in ((Predicate.METABOLIZED_BY, step["enzymes"]),
                               (Predicate.METABOLIZED_TO, step["products"])):
        for entry in entries:
            found[(predicate, entry["neighbour"]["id"])] |= _citations([entry["evidence"]])
    return {k: frozenset(v) for k, v in found.items()}


def graphql_interactions(data: dict[str, Any]) -> Projection:
    found: dict[Any, set[str]] = defaultdict(set)
    for risk in data["interactions"]["risks"]:
        reported = [e["evidence"] for e in risk["evidence"]
                    if e["predicate"] == Predicate.INTERACTS_WITH.name]
        if risk["basis"] == "REPORTED" and reported:
            found[risk["partner"]["id"]] |= _citations(reported)
    return {k: frozenset(v) for k, v in found.items()}


# -- the same projections of the SPARQL rows -------------------------------------------------


def _merge(rows: list[tuple[Any, frozenset[str]]]) -> Projection:
    found: dict[Any, set[str]] = defaultdict(set)
    for key, citations in rows:
        found[key] |= citations
    return {k: frozenset(v) for k, v in found.items()}


def sparql_projection(found: Answers, question: str) -> Any:
    rows = found.oxigraph[question]
    if question == "studies-connecting":
        return {row[0] for row in rows}
    # only what was found: the GraphQL answers leave negated statements out
    if question == "pharmacology":  # edgeId predicate measure relation value unit ... citations
        return _merge([((r[1], r[2], r[4], r[5]), r[10]) for r in rows if not r[9]])
    if question == "metabolism":  # edgeId predicate otherId otherName evidence negated cit.
        return _merge([((r[1], r[2]), r[6]) for r in rows if not r[5]])
    return _merge([(r[1], r[7]) for r in rows if not r[6]])  # interactions


PROJECT = {"studies-connecting": graphql_studies, "pharmacology": graphql_pharmacology,
           "metabolism": graphql_metabolism, "interactions": graphql_interactions}


@pytest.mark.parametrize("dataset", ["curated", "fixture"])
@pytest.mark.parametrize("question", list(PROJECT))
def test_sparql_answers_as_graphql_does(answers_for: Callable[[str], Answers],
                                        ask: Callable[[str], dict[str, Any]],
                                        dataset: str, question: str) -> None:
    found = answers_for(dataset)  # and the database now holds the dataset
    graphql = PROJECT[question](ask(question))
    assert graphql == sparql_projection(found, question)
    if dataset == "fixture":
        assert graphql, f"the fixture must answer {question}"
