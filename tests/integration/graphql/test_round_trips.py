"""No N+1: the Cypher round trips of a request depend on its depth, not on its results."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from api.app import create_app
from api.settings import Settings
from tests.integration.graphql.conftest import CountingDriver, GraphQL, serve

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
# pages asked through the generic ``relations`` field, which is not read ahead.
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


async def count_round_trips(
    settings: Settings, query: str, variables: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    app = create_app(settings)
    async with serve(app) as client:
        counting = CountingDriver(app.state.driver)
        app.state.driver = counting
        body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
    assert not body.get("errors"), body["errors"]
    data: dict[str, Any] = body["data"]
    return counting.counter.runs, data


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
    # the graph version (response cache), root lookup, relations, neighbours + tools + cited
    # studies, their relations, theirs
    assert large_trips <= 7


async def test_an_entity_with_nested_studies_is_one_statement(
    curated_db: Driver, settings: Settings
) -> None:
    trips, nested = await count_round_trips(settings, STUDIES, {"id": MITRAGYNINE})
    _, generic = await count_round_trips(settings, STUDIES_BY_RELATIONS, {"id": MITRAGYNINE})
    studies = nested["entity"]["studies"]
    assert studies["totalCount"] > 10  # a full page of studies...
    assert sum(len(n["neighbour"]["measures"]["edges"]) for n in studies["nodes"]) > 10
    assert nested == generic  # ...the same answer as the pages read one level at a time
    assert trips == 2  # the graph version (response cache), then the entity with its pages


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
    # resolve, expand, rank, the page's links; then one query per level of nested fields:
    # path nodes and expansions, cited studies and tools, investigates pages, their neighbours
    assert all_trips <= 9  # and the graph version (response cache)


async def test_counting_proxy_sees_every_query(curated_db: Driver, settings: Settings) -> None:
    trips, _ = await count_round_trips(
        settings, '{ search(text: "mitragynine") { totalCount } }', {}
    )
    assert trips == 2  # the graph version (response cache), then the search


async def test_the_api_answers_without_a_fixture_driver(gql: GraphQL) -> None:
    data = await gql.data('{ search(text: "naloxone", first: 1) { totalCount } }')
    assert data["search"]["totalCount"] >= 1
