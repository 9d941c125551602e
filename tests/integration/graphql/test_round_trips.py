"""No N+1: the Cypher round trips of a request depend on its depth, not on its results."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from api.settings import Settings
from tests.integration.graphql.conftest import GraphQL, count_round_trips

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Four levels below the root: relations -> neighbour -> relations -> neighbour (+ evidence).
NESTED = """
query ($first: Int!) {
  entity(id: "PUBCHEM.COMPOUND:3034396") {
    ... on Entity {
      relations(first: $first) {
        totalCount
        nodes {
          predicate
          evidence { citations { curie } studyDesign tool { name } }
          neighbour {
            id name
            relations(first: $first) {
              totalCount
              nodes { neighbour { id name } evidence { studies { id } } }
            }
          }
        }
      }
    }
  }
}"""

# The peer benchmark's nested studies question (benchmarks/peer_questions.py), and the same
# pages asked through the generic ``relations`` field from ``entities(name)``, which does not
# read ahead: its pages are read by the DataLoaders, a query a level.
STUDIES = """
query ($id: ID!) { entity(id: $id) { ... on Compound { id name
  studies(first: 10) { totalCount nodes { id neighbour { ... on Study { id title year
    measures(first: 5) { totalCount edges { node { id neighbour { id name } } } } } } } } } } }"""
STUDIES_BY_RELATIONS = """
query ($id: ID!) { entity(id: $id) { ... on Entity { id name
  studies: relations(predicates: [INVESTIGATES], direction: IN, first: 10) {
    totalCount nodes { id neighbour { ... on Study { id title year
      measures: relations(predicates: [MEASURES], direction: OUT, first: 5) {
        totalCount edges { node { id neighbour { id name } } } } } } } } } } }"""
STUDIES_BY_NAME = STUDIES_BY_RELATIONS.replace(
    "query ($id: ID!) { entity(id: $id)", 'query { entities(name: "mitragynine")'
)
# The peer benchmark's typed and outgoing relations questions (literal and variable arguments).
TYPED = """
query ($id: ID!, $predicates: [Predicate!], $direction: RelationDirection!) {
  entity(id: $id) { ... on Entity { id name
    typed: relations(predicates: [METABOLIZED_BY], direction: OUT, first: 20) {
      totalCount nodes { id predicate neighbour { id name } } }
    outgoing: relations(direction: OUT, first: 20) {
      totalCount nodes { id predicate neighbour { id name } } }
    asked: relations(predicates: $predicates, direction: $direction, first: 5) {
      totalCount nodes { id predicate neighbour { id name } } } } } }"""
TYPED_BY_NAME = TYPED.replace("$id: ID!, ", "").replace(
    "entity(id: $id)", 'entities(name: "mitragynine")'
)
TYPED_VARIABLES = {"predicates": ["BINDS", "AGONIST_OF"], "direction": "OUT"}
MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"
MITRAGYNINE_CHEMBL = "CHEMBL.COMPOUND:CHEMBL299031"  # its cross-reference (alkaloids.yaml)

CONNECTING = """
query ($first: Int!) {
  studiesConnecting(entities: ["mitragynine", "pain"], first: $first) {
    ... on ConnectingStudies {
      terms { expandedTo { id name } }
      studies { totalCount nodes {
        study { id name investigates { nodes { neighbour { name } } } }
        paths { nodes { id name } hops { subject { id } object { id }
                                         evidence { studyDesign tool { name } } } }
      } }
    }
  }
}"""

# The peer benchmark's studiesConnecting: no paths asked, none read.
CONNECTING_BARE = """
query ($first: Int!) {
  studiesConnecting(entities: ["mitragynine", "pain"], first: $first) {
    ... on ConnectingStudies { studies { totalCount nodes { study { id } grade { score } } } }
  }
}"""


def _size(data: dict[str, Any]) -> int:
    outer = data["entity"]["relations"]["nodes"]
    return len(outer) + sum(len(n["neighbour"]["relations"]["nodes"]) for n in outer)


async def test_nested_relations_cost_one_query_per_level(
    curated_db: Driver, settings: Settings
) -> None:
    small_trips, small = await count_round_trips(settings, NESTED, {"first": 3})
    large_trips, large = await count_round_trips(settings, NESTED, {"first": 50})
    assert _size(large) > 10 * _size(small)  # far more results...
    assert large_trips == small_trips  # ...for the same number of queries
    # the graph version (response cache), the root with both levels of relations (read
    # ahead), the tools and cited studies of each level's evidence
    assert large_trips <= 4


async def test_an_entity_with_nested_studies_is_one_statement(
    curated_db: Driver, settings: Settings
) -> None:
    trips, nested = await count_round_trips(settings, STUDIES, {"id": MITRAGYNINE})
    generic_trips, generic = await count_round_trips(
        settings, STUDIES_BY_RELATIONS, {"id": MITRAGYNINE}
    )
    level_trips, by_level = await count_round_trips(settings, STUDIES_BY_NAME, {})
    studies = nested["entity"]["studies"]
    assert studies["totalCount"] > 10  # a full page of studies...
    assert sum(len(n["neighbour"]["measures"]["edges"]) for n in studies["nodes"]) > 10
    # ...the same answer as the pages read one level at a time
    assert nested == generic == {"entity": by_level["entities"][0]}
    assert trips == generic_trips == 2  # the graph version (response cache), the entity
    assert level_trips == 4  # the graph version, the name, then a query a level


async def test_an_entity_with_typed_relations_is_one_statement(
    curated_db: Driver, settings: Settings
) -> None:
    variables = {"id": MITRAGYNINE, **TYPED_VARIABLES}
    trips, ahead = await count_round_trips(settings, TYPED, variables)
    level_trips, by_level = await count_round_trips(settings, TYPED_BY_NAME, TYPED_VARIABLES)
    entity = ahead["entity"]
    assert entity["typed"]["totalCount"] > 0
    assert {n["predicate"] for n in entity["typed"]["nodes"]} == {"METABOLIZED_BY"}
    assert {n["predicate"] for n in entity["asked"]["nodes"]} <= {"BINDS", "AGONIST_OF"}
    assert entity["asked"]["totalCount"] > 0
    assert entity == by_level["entities"][0]  # the same answer as the DataLoaders give
    assert trips == 2  # the graph version (response cache), then the entity with its pages
    assert level_trips == 3  # the graph version, the name, the three pages in one batch


async def test_a_cross_reference_reads_ahead_too(curated_db: Driver, settings: Settings) -> None:
    trips, by_xref = await count_round_trips(settings, STUDIES, {"id": MITRAGYNINE_CHEMBL})
    _, by_id = await count_round_trips(settings, STUDIES, {"id": MITRAGYNINE})
    assert by_xref == by_id
    assert trips == 2


async def test_studies_connecting_costs_a_fixed_number_of_queries(
    curated_db: Driver, settings: Settings
) -> None:
    few_trips, few = await count_round_trips(settings, CONNECTING, {"first": 2})
    all_trips, every = await count_round_trips(settings, CONNECTING, {"first": 50})
    assert len(few["studiesConnecting"]["studies"]["nodes"]) == 2
    assert len(every["studiesConnecting"]["studies"]["nodes"]) >= 3 * 2
    assert all_trips == few_trips
    # resolve, expand and rank with the page's links in one; then one query per level of
    # nested fields: path nodes and expansions, cited studies and tools, investigates pages
    assert all_trips <= 5  # and the graph version (response cache)


async def test_studies_connecting_is_one_statement(curated_db: Driver, settings: Settings) -> None:
    trips, ranked = await count_round_trips(settings, CONNECTING_BARE, {"first": 5})
    assert len(ranked["studiesConnecting"]["studies"]["nodes"]) == 5
    assert trips == 2  # the graph version (response cache), then the question


async def test_studies_connecting_reads_paths_only_when_asked(
    curated_db: Driver, settings: Settings
) -> None:
    without = CONNECTING.replace("paths {", "__typename grade { score } other: paths {")
    _, with_paths = await count_round_trips(settings, CONNECTING, {"first": 50})
    _, both = await count_round_trips(settings, without, {"first": 50})
    bare = CONNECTING_BARE
    _, ranked = await count_round_trips(settings, bare, {"first": 50})
    ids = [n["study"]["id"] for n in with_paths["studiesConnecting"]["studies"]["nodes"]]
    assert ids == [n["study"]["id"] for n in ranked["studiesConnecting"]["studies"]["nodes"]]
    assert [n["grade"] for n in both["studiesConnecting"]["studies"]["nodes"]] == [
        n["grade"] for n in ranked["studiesConnecting"]["studies"]["nodes"]
    ]
    assert all(n["other"] for n in both["studiesConnecting"]["studies"]["nodes"])  # paths read


# The peer benchmark's filtered list (benchmarks/peer_questions.py, every design: the curated
# data has no such trial of mitragynine), and the same list with what each study gave read one
# level down.
LIST = """query ($investigates: String) { studies(
  filter: {yearFrom: 2015, investigates: $investigates},
  sort: {field: YEAR, descending: true}, first: 20) { totalCount nodes { id title year } } }"""
LIST_NESTED = LIST.replace("year }", "year investigates { nodes { neighbour { id name } } } }")


async def test_a_filtered_list_is_one_statement(curated_db: Driver, settings: Settings) -> None:
    trips, by_term = await count_round_trips(settings, LIST, {"investigates": "mitragynine"})
    plain_trips, plain = await count_round_trips(settings, LIST, {"investigates": None})
    assert 0 < by_term["studies"]["totalCount"] < plain["studies"]["totalCount"]
    # the graph version (response cache), then the studies with the term resolved among them
    assert trips == plain_trips == 2
    nested_trips, nested = await count_round_trips(
        settings, LIST_NESTED, {"investigates": "mitragynine"}
    )
    names = {
        r["neighbour"]["name"]
        for s in nested["studies"]["nodes"]
        for r in s["investigates"]["nodes"]
    }
    assert "mitragynine" in names  # what the term named, read with the relation page
    assert nested_trips == 3  # and no more: nothing waits for the term's nodes


async def test_counting_proxy_sees_every_query(curated_db: Driver, settings: Settings) -> None:
    trips, _ = await count_round_trips(
        settings, '{ search(text: "mitragynine") { totalCount } }', {}
    )
    assert trips == 2  # the graph version (response cache), then the search


async def test_the_api_answers_without_a_fixture_driver(gql: GraphQL) -> None:
    data = await gql.data('{ search(text: "naloxone", first: 1) { totalCount } }')
    assert data["search"]["totalCount"] >= 1
