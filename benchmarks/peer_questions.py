"""The questions of the peer benchmark (``benchmarks.peer_bench``), as each side asks them.

PharmaKG's query and @neo4j/graphql's query for the same question, the functions that reduce
each answer to one comparable shape, and how the typical entity and the hub are picked from
the loaded graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from neo4j import Driver

from benchmarks.api_bench import Operation

Json = Any

# -- the questions ---------------------------------------------------------------------------

_SORT = "sort: [{node: {name: ASC}}, {edge: {id: ASC}}]"

OURS_TYPED = """query ($id: ID!) { entity(id: $id) { ... on Entity { id name
  relations(predicates: [METABOLIZED_BY], direction: OUT, first: 20) { totalCount
    nodes { id neighbour { id name } } } } } }"""
PEER_TYPED = f"""query ($id: ID!) {{ alkaloids(where: {{id: {{eq: $id}}}}) {{ id name
  metabolizedByConnection(first: 20, {_SORT}) {{ totalCount
    edges {{ properties {{ id }} node {{ id name }} }} }} }} }}"""

# The alkaloid's outgoing relationship fields of the peer, with their relationship types.
OUTGOING = {
    "adverseEffect": "ADVERSE_EFFECT",
    "agonistOf": "AGONIST_OF",
    "antagonistOf": "ANTAGONIST_OF",
    "binds": "BINDS",
    "induces": "INDUCES",
    "inhibits": "INHIBITS",
    "interactsWith": "INTERACTS_WITH",
    "interactsWithDrug": "INTERACTS_WITH",
    "inverseAgonistOf": "INVERSE_AGONIST_OF",
    "metabolizedBy": "METABOLIZED_BY",
    "metabolizedTo": "METABOLIZED_TO",
    "partialAgonistOf": "PARTIAL_AGONIST_OF",
}
OURS_OUTGOING = """query ($id: ID!) { entity(id: $id) { ... on Entity { id name
  relations(direction: OUT, first: 20) { totalCount
    nodes { id predicate neighbour { id name } } } } } }"""
PEER_OUTGOING = (
    "query ($id: ID!) { alkaloids(where: {id: {eq: $id}}) { id name "
    + " ".join(
        f"{name}Connection(first: 20, {_SORT}) {{ totalCount edges {{ "
        "properties { id } node { id name } } }"
        for name in OUTGOING
    )
    + " } }"
)

OURS_NESTED = """query ($id: ID!) { entity(id: $id) { ... on Compound { id name
  studies(first: 10) { totalCount nodes { neighbour { ... on Study { id title year
    measures(first: 5) { totalCount nodes { neighbour { id name } } } } } } } } } }"""
PEER_NESTED = f"""query ($id: ID!) {{ alkaloids(where: {{id: {{eq: $id}}}}) {{ id name
  studiesConnection(first: 10, {_SORT}) {{ totalCount edges {{ node {{ id title year
    measuresConnection(first: 5, {_SORT}) {{ totalCount edges {{ node {{ id name }} }} }}
  }} }} }} }} }}"""

OURS_LIST = """query ($investigates: String) { studies(
  filter: {designs: [CLINICAL_TRIAL], yearFrom: 2015, investigates: $investigates},
  sort: {field: YEAR, descending: true}, first: 20) { totalCount nodes { id title year } } }"""
PEER_LIST = """query ($where: StudyWhere!) { studiesConnection(where: $where,
  sort: [{year: DESC}, {id: ASC}], first: 20) { totalCount edges { node { id title year } } } }"""

OURS_CONNECTING = """query ($entities: [String!]!) {
  studiesConnecting(entities: $entities, first: 10) { ... on ConnectingStudies {
    studies { nodes { study { id title year } } } } } }"""
PEER_CONNECTING = """query ($entities: [ID!]!) {
  studiesConnecting(entities: $entities, first: 10) { id title year } }"""


def _relations(page: Json) -> tuple[int, list[tuple[str, str, str]]]:
    return page["totalCount"], [
        (n["id"], n["neighbour"]["id"], n["neighbour"]["name"]) for n in page["nodes"]
    ]


def _edges(connection: Json) -> tuple[int, list[tuple[str, str, str]]]:
    return connection["totalCount"], [
        (e["properties"]["id"], e["node"]["id"], e["node"]["name"]) for e in connection["edges"]
    ]


def ours_typed(data: Json) -> Json:
    entity = data["entity"]
    return entity["id"], entity["name"], _relations(entity["relations"])


def peer_typed(data: Json) -> Json:
    [entity] = data["alkaloids"]
    return entity["id"], entity["name"], _edges(entity["metabolizedByConnection"])


def ours_outgoing(data: Json) -> Json:
    entity = data["entity"]
    page = entity["relations"]
    return (
        entity["id"],
        entity["name"],
        page["totalCount"],
        [
            (n["predicate"], n["neighbour"]["name"], n["id"], n["neighbour"]["id"])
            for n in page["nodes"]
        ],
    )


def peer_outgoing(data: Json) -> Json:
    """Each relationship field's first 20, merged in PharmaKG's order (type, name, id)."""
    [entity] = data["alkaloids"]
    total, merged = 0, []
    for name, rel_type in OUTGOING.items():
        connection = entity[f"{name}Connection"]
        total += connection["totalCount"]
        merged += [
            (rel_type, e["node"]["name"], e["properties"]["id"], e["node"]["id"])
            for e in connection["edges"]
        ]
    return entity["id"], entity["name"], total, sorted(merged)[:20]


def ours_nested(data: Json) -> Json:
    entity = data["entity"]
    studies = entity["studies"]
    return (
        entity["id"],
        entity["name"],
        studies["totalCount"],
        [
            (
                s["id"],
                s["title"],
                s["year"],
                s["measures"]["totalCount"],
                [(m["neighbour"]["id"], m["neighbour"]["name"]) for m in s["measures"]["nodes"]],
            )
            for s in (n["neighbour"] for n in studies["nodes"])
        ],
    )


def peer_nested(data: Json) -> Json:
    [entity] = data["alkaloids"]
    studies = entity["studiesConnection"]
    return (
        entity["id"],
        entity["name"],
        studies["totalCount"],
        [
            (
                s["id"],
                s["title"],
                s["year"],
                s["measuresConnection"]["totalCount"],
                [(m["node"]["id"], m["node"]["name"]) for m in s["measuresConnection"]["edges"]],
            )
            for s in (e["node"] for e in studies["edges"])
        ],
    )


def ours_list(data: Json) -> Json:
    page = data["studies"]
    return page["totalCount"], [(s["id"], s["title"], s["year"]) for s in page["nodes"]]


def peer_list(data: Json) -> Json:
    page = data["studiesConnection"]
    return page["totalCount"], [
        (e["node"]["id"], e["node"]["title"], e["node"]["year"]) for e in page["edges"]
    ]


def ours_connecting(data: Json) -> Json:
    return [
        (n["study"]["id"], n["study"]["title"], n["study"]["year"])
        for n in data["studiesConnecting"]["studies"]["nodes"]
    ]


def peer_connecting(data: Json) -> Json:
    return [(s["id"], s["title"], s["year"]) for s in data["studiesConnecting"]]


@dataclass(frozen=True)
class Question:
    """One question as each side asks it, and how each answer is reduced to compare them."""

    name: str
    ours: Operation
    peer: Operation
    ours_answer: Callable[[Json], Json]
    peer_answer: Callable[[Json], Json]


# Entities picked from the loaded graph: a typical one (a degree in a middle range) and the hub.
_BY_DEGREE = """
MATCH (c:Alkaloid)
WITH c, COUNT { (c)%s } AS degree
WHERE $low <= degree <= $high
RETURN c.id AS id ORDER BY degree DESC, c.id LIMIT 1"""
_TRIPLE = """
MATCH (c:Alkaloid)
WITH c, COUNT { (c)<-[:INVESTIGATES]-() } AS degree
WHERE $low <= degree <= $high
WITH c, degree ORDER BY degree DESC, c.id LIMIT 50
MATCH (c)<-[:INVESTIGATES]-(s:Study)-[:TESTS_MECHANISM]->()-[:MEMBER_OF]->(f:TargetFamily)
MATCH (s)-[:MEASURES]->(:OutcomeMeasure)-[:OUTCOME_OF]->(d:Condition)
RETURN [c.id, f.id, d.id] AS entities ORDER BY c.id, f.id, d.id LIMIT 1"""
TYPICAL = (5, 40)  # degree range of a typical entity
HUB = (0, 10**9)


def _pick(driver: Driver, pattern: str, low: int, high: int) -> str:
    records = driver.execute_query(_BY_DEGREE % pattern, low=low, high=high).records
    if not records:
        raise RuntimeError(f"no alkaloid with {low}..{high} relations {pattern}")
    return str(records[0]["id"])


def questions(driver: Driver) -> list[Question]:
    """Every question for a typical entity and for the hub of the loaded graph."""
    found: list[Question] = []
    for kind, (low, high) in (("", TYPICAL), (" (hub)", HUB)):
        typed = _pick(driver, "-[:METABOLIZED_BY]->()", low, high)
        outgoing = _pick(driver, "-->()", low, high)
        nested = _pick(driver, "<-[:INVESTIGATES]-()", low, high)
        triple = driver.execute_query(
            _TRIPLE, low=low if kind else 20, high=high if kind else 60
        ).records[0]["entities"]
        found += [
            Question(
                f"typed relations{kind}",
                Operation("typed", OURS_TYPED, {"id": typed}),
                Operation("typed", PEER_TYPED, {"id": typed}),
                ours_typed,
                peer_typed,
            ),
            Question(
                f"outgoing relations{kind}",
                Operation("outgoing", OURS_OUTGOING, {"id": outgoing}),
                Operation("outgoing", PEER_OUTGOING, {"id": outgoing}),
                ours_outgoing,
                peer_outgoing,
            ),
            Question(
                f"nested studies{kind}",
                Operation("nested", OURS_NESTED, {"id": nested}),
                Operation("nested", PEER_NESTED, {"id": nested}),
                ours_nested,
                peer_nested,
            ),
            Question(
                f"filtered list{kind}",
                Operation("list", OURS_LIST, {"investigates": nested if kind else None}),
                Operation(
                    "list",
                    PEER_LIST,
                    {
                        "where": {
                            "design": {"eq": "clinical_trial"},
                            "year": {"gte": 2015},
                            **({"investigates": {"some": {"id": {"eq": nested}}}} if kind else {}),
                        }
                    },
                ),
                ours_list,
                peer_list,
            ),
            Question(
                f"studiesConnecting{kind}",
                Operation("connecting", OURS_CONNECTING, {"entities": triple}),
                Operation("connecting", PEER_CONNECTING, {"entities": triple}),
                ours_connecting,
                peer_connecting,
            ),
        ]
    return found
