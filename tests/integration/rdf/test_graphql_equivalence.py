"""SPARQL over the RDF export answers the saved questions as the GraphQL API does.

The GraphQL side runs the saved queries of docs/queries/*.graphql through the real API with
their own defaults (a twin asks the same question with the same defaults); the SPARQL side
runs docs/queries/*.rq over the Turtle export (see test_sparql_equivalence.py; Apache Jena's
answers in test_jena.py). GraphQL answers are richer (grades, summaries, inferred risks); the
comparison keeps what both state: which studies, which measurements and activities, which
enzymes and metabolites, which reported interaction partners, and the citations behind each.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pytest

from ontology.vocab import Measure, Predicate, Relation, Unit
from tests.integration.rdf.questions import Answers, Row

Projection = dict[Any, Any]


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
        key = (
            Predicate[m["action"]],
            Measure[q["measure"]].value,
            q["value"],
            Unit[q["unit"]].value,
        )
        found[key] |= {c["curie"] for c in m["citations"]}
    for item in answer["qualitative"]:
        if item["evidence"]["negated"]:  # a null finding: left out on both sides
            continue
        found[(Predicate[item["predicate"]], None, None, None)] |= _citations([item["evidence"]])
    return {k: frozenset(v) for k, v in found.items()}


def graphql_metabolism(data: dict[str, Any]) -> Projection:
    found: dict[Any, set[str]] = defaultdict(set)
    for step in data["metabolism"]["steps"]:
        substance = step["substance"]["id"]
        for predicate, entries in (
            (Predicate.METABOLIZED_BY, step["enzymes"]),
            (Predicate.METABOLIZED_TO, step["products"]),
        ):
            for entry in entries:
                key = (substance, predicate, entry["neighbour"]["id"])
                found[key] |= _citations([entry["evidence"]])
    return {k: frozenset(v) for k, v in found.items()}


def _activity(node: dict[str, Any]) -> tuple[Any, ...]:
    """An activity relation as the SPARQL rows state it."""
    evidence, q = node["evidence"], node["evidence"]["measurement"] or {}
    return (
        Predicate[node["predicate"]],
        node["neighbour"]["id"],
        Measure[q["measure"]].value if q else None,
        Relation[q["comparator"]].value if q else None,
        q.get("value"),
        Unit[q["unit"]].value if q else None,
        evidence["assay"],
        evidence["species"],
        evidence["negated"],
        frozenset(c["curie"] for c in evidence["citations"]),
    )


def graphql_receptor_profile(data: dict[str, Any]) -> Projection:
    activities = data["entity"]["activities"]
    assert activities["totalCount"] == len(activities["nodes"]), "one page holds them all"
    return {node["id"]: _activity(node) for node in activities["nodes"]}


def graphql_mu_opioid_ranking(data: dict[str, Any]) -> Projection:
    """The alkaloids' activities by edge id, and the measured ones in the API's order."""
    ligands = data["receptor"]["ligands"]
    assert ligands["totalCount"] == len(ligands["nodes"]), "one page holds them all"
    ranked = data["ranked"]
    assert ranked["totalCount"] == len(ranked["nodes"]), "one page holds them all"
    return _ranking(
        {
            node["id"]: _activity(node)
            for node in ligands["nodes"]
            if node["neighbour"]["__typename"] == "Alkaloid"
        },
        [
            (m["compound"]["id"], m["quantity"]["nanomolar"])
            for m in ranked["nodes"]
            if m["compound"]["__typename"] == "Alkaloid"
        ],
    )


def _ranking(activities: Projection, ranked: list[tuple[str, float | None]]) -> Projection:
    """The activities, and the measured ones strongest first: the values in nM in their order
    (ties in any order; values that are no concentration, None, last) and who has each."""
    return {
        "activities": activities,
        "order": [nanomolar for _, nanomolar in ranked],
        "measured": Counter(ranked),
    }


def graphql_interactions(data: dict[str, Any]) -> Projection:
    found: dict[Any, set[str]] = defaultdict(set)
    for risk in data["interactions"]["risks"]:
        reported = [
            e["evidence"]
            for e in risk["evidence"]
            if e["predicate"] == Predicate.INTERACTS_WITH.name
        ]
        if risk["basis"] == "REPORTED" and reported:
            found[risk["partner"]["id"]] |= _citations(reported)
    return {k: frozenset(v) for k, v in found.items()}


# -- the same projections of the SPARQL rows -------------------------------------------------


def _merge(rows: list[tuple[Any, frozenset[str]]]) -> Projection:
    found: dict[Any, set[str]] = defaultdict(set)
    for key, citations in rows:
        found[key] |= citations
    return {k: frozenset(v) for k, v in found.items()}


def _sparql_activity(row: Row, subject_first: bool) -> tuple[Any, ...]:
    """(predicate, other end, measure, relation, value, unit, assay, species, negated, cit.)"""
    if subject_first:  # mu-opioid-ranking: edgeId compoundId name predicate measure ...
        other, predicate, rest = row[1], row[3], row[4:8] + row[9:]
    else:  # receptor-profile: edgeId predicate targetId targetName measure ...
        other, predicate, rest = row[2], row[1], row[4:]
    measured = rest[0] is not None
    relation = (rest[1] or Relation.EQ.value) if measured else None
    return (predicate, other, rest[0], relation, *rest[2:])


def sparql_projection(rows: list[Row], question: str) -> Any:
    """The rows of a saved SPARQL query (in its order) as its GraphQL twin is projected."""
    if question == "receptor-profile":
        return {row[0]: _sparql_activity(row, False) for row in rows}
    if question == "mu-opioid-ranking":
        return _ranking(
            {row[0]: _sparql_activity(row, True) for row in rows},
            [(row[1], row[8]) for row in rows if row[4] is not None],
        )
    if question == "studies-connecting":
        return {row[0] for row in rows}
    # only what was found: the GraphQL answers leave negated statements out
    if question == "pharmacology":  # edgeId predicate measure relation value unit ... citations
        return _merge([((r[1], r[2], r[4], r[5]), r[10]) for r in rows if not r[9]])
    if question == "metabolism":  # substance edgeId predicate otherId name evidence neg. cit.
        return _merge([((r[0], r[2], r[3]), r[7]) for r in rows if not r[6]])
    return _merge([(r[1], r[7]) for r in rows if not r[6]])  # interactions


PROJECT = {
    "studies-connecting": graphql_studies,
    "pharmacology": graphql_pharmacology,
    "metabolism": graphql_metabolism,
    "interactions": graphql_interactions,
    "receptor-profile": graphql_receptor_profile,
    "mu-opioid-ranking": graphql_mu_opioid_ranking,
}


@pytest.mark.parametrize("dataset", ["curated", "fixture"])
@pytest.mark.parametrize("question", list(PROJECT))
def test_sparql_answers_as_graphql_does(
    answers_for: Callable[[str], Answers],
    ask: Callable[[str], dict[str, Any]],
    dataset: str,
    question: str,
) -> None:
    found = answers_for(dataset)  # and the database now holds the dataset
    graphql = PROJECT[question](ask(question))
    assert graphql == sparql_projection(found.ordered[question], question)
    if dataset == "fixture":
        assert graphql, f"the fixture must answer {question}"
