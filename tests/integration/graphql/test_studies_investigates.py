"""``studies(filter: {investigates})``: the term resolved in the studies statement gives the
studies of every node it names at its most precise level, as resolving it first did."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from api import pipeline
from api.app import create_app
from api.settings import PROJECT_ROOT, Settings
from graph import reads
from graph.cypher import reads as statements
from graph.reads import Reader, TermSpec
from tests.integration.graphql.conftest import GraphQL, serve

pytestmark = pytest.mark.asyncio(loop_scope="session")

MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"
TWIN = "TEST:mitragynine-twin"  # a test node that also has the name "mitragynine"
STUDIES = """
query ($filter: StudyFilter, $sort: StudySort, $after: String) {
  studies(filter: $filter, sort: $sort, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id }
  }
}"""
FILTERS: list[dict[str, Any]] = [
    {},
    {"yearFrom": 2015},
    {"designs": ["ANIMAL_IN_VIVO"]},
    {"designs": ["ANIMAL_IN_VIVO", "IN_VITRO"], "yearFrom": 2010},
]
SORTS: list[dict[str, Any]] = [{"field": "YEAR", "descending": True}, {"field": "TITLE"}]

# The twin: mitragynine's record under a test id, named by its synonym "mitragynine"; given in
# two studies that gave mitragynine too (each must come back once) and in two that did not.
TWIN_CYPHER = """
MATCH (m:Entity {id: $mitragynine})
CREATE (x:Entity:Alkaloid)
SET x = m {.*, id: $twin, name: 'mitragynine twin', synonyms: ['mitragynine'], xrefs: []}
WITH x
CALL (x) {
  MATCH (s:Study)-[:INVESTIGATES]->(:Entity {id: $mitragynine})
  WITH s ORDER BY s.id LIMIT 2 RETURN s
  UNION
  MATCH (s:Study) WHERE NOT (s)-[:INVESTIGATES]->(:Entity {id: $mitragynine})
  WITH s ORDER BY s.id LIMIT 2 RETURN s
}
CREATE (s)-[:INVESTIGATES {id: 'test:' + s.id}]->(x)"""
INVESTIGATING = """
MATCH (s:Study)-[:INVESTIGATES]->(c:Entity) WHERE c.id IN $ids
RETURN collect(DISTINCT s.id) AS ids"""


async def _all(gql: GraphQL, filter: dict[str, Any], sort: dict[str, Any]) -> tuple[int, list[str]]:
    """Every study the list gives, page after page, and its total."""
    ids: list[str] = []
    after = None
    while True:
        variables = {"filter": filter, "sort": sort, "after": after}
        page = (await gql.data(STUDIES, variables))["studies"]
        ids += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return page["totalCount"], ids
        after = page["pageInfo"]["endCursor"]


@pytest.fixture(params=["from the terms", "from the index"])
def side(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Which side the studies statement reads the terms' studies from when a filter has an
    index: the curated terms have few studies, so only a threshold of 0 takes the index's."""
    if request.param == "from the index":
        monkeypatch.setattr(statements, "EXPAND_AT_MOST", 0)
    statements.studies.cache_clear()  # built again with the threshold...
    yield request.param
    statements.studies.cache_clear()  # ...and again after it


async def test_a_term_naming_several_entities_gives_the_studies_of_each(
    clean_db: Driver, settings: Settings, side: str
) -> None:
    del side  # the statement is built with it
    pipeline.load(clean_db, pipeline.CURATED, [Path(PROJECT_ROOT / "data" / "curated")])
    clean_db.execute_query(TWIN_CYPHER, mitragynine=MITRAGYNINE, twin=TWIN)
    app = create_app(settings)
    async with serve(app) as client:
        gql = GraphQL(client)
        # as before: the term resolved on its own (two names, same level), then its ids
        [found] = await reads.resolve_terms(Reader(app.state.driver), [TermSpec("mitragynine")])
        assert sorted(m.node.id for m in found) == [MITRAGYNINE, TWIN]
        assert {m.level for m in found} == {2}  # by name: both at the most precise level
        ids = [m.node.id for m in found]
        records, _, _ = clean_db.execute_query(INVESTIGATING, ids=ids)
        investigating = set(records[0]["ids"])
        [[only_mitragynine]], _, _ = clean_db.execute_query(INVESTIGATING, ids=[MITRAGYNINE])
        assert len(investigating) == len(only_mitragynine) + 2  # the twin's own two
        for filter in FILTERS:
            for sort in SORTS:
                _, every = await _all(gql, filter, sort)
                expected = [i for i in every if i in investigating]
                given = {**filter, "investigates": "mitragynine"}
                total, ids_given = await _all(gql, given, sort)
                assert (total, ids_given) == (len(expected), expected), (filter, sort)
        assert await _all(gql, {"investigates": "MG"}, SORTS[0]) == await _all(
            gql, {"investigates": MITRAGYNINE}, SORTS[0]
        )  # a synonym of mitragynine alone, and its id: the twin is not named


async def test_a_term_naming_nothing_is_a_public_error(gql: GraphQL) -> None:
    errors = await gql.errors(STUDIES, {"filter": {"investigates": "no such thing at all"}})
    assert errors[0]["message"] == "nothing matches 'no such thing at all'"
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert errors[0]["path"] == ["studies"]
