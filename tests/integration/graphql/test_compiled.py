"""Compiled answers (api/graphql/compiled.py) are the executor's answers, byte for byte.

Every question is asked of two apps on the curated data, one with compiled answers and one
without; the bodies and headers must be equal, and the compiled app must have answered (or,
for the shapes it leaves to the executor, not answered) without the executor.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import orjson
import pytest
import pytest_asyncio
from neo4j import Driver

from api.app import create_app
from api.graphql import compiled as compiled_answers
from api.graphql.compiled import CompiledAnswers
from api.settings import Settings
from graph.errors import GraphUnavailableError
from tests.conftest import Neo4jEndpoint
from tests.integration.graphql.conftest import count_round_trips, make_settings, serve

pytestmark = pytest.mark.asyncio(loop_scope="session")

MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"
MOR = "UniProtKB:P35372"
STUDY = "PMID:24464759"

# Compiled: an entity with fields, pages and neighbours, in every spelling a client may use.
COMPILED: dict[str, tuple[str, dict[str, Any]]] = {
    "typed, literal arguments": (
        """query ($id: ID!) { entity(id: $id) { ... on Entity { id name
          relations(predicates: [METABOLIZED_BY], direction: OUT, first: 20) { totalCount
            nodes { id predicate neighbour { id name } } } } } }""",
        {"id": MITRAGYNINE},
    ),
    "outgoing, variable arguments": (
        """query ($id: ID!, $p: [Predicate!], $d: RelationDirection!, $n: Int) {
          entity(id: $id) { ... on Entity { id name
            relations(predicates: $p, direction: $d, first: $n) { totalCount
              nodes { id predicate direction neighbour { id name category } } } } } }""",
        {"id": MITRAGYNINE, "p": None, "d": "OUT", "n": 7},
    ),
    "nested studies": (
        """query ($id: ID!) { entity(id: $id) { ... on Compound { id name
          studies(first: 10) { totalCount nodes { neighbour { ... on Study { id title year
            measures(first: 5) { totalCount nodes { neighbour { id name } } } } } } } } } }""",
        {"id": MITRAGYNINE},
    ),
    "fragments, aliases, __typename, merged fields": (
        """query Q($id: ID!) { e: entity(id: $id) { __typename ...Names
            ... on Alkaloid { formula inchikey id }
            ... on Compound { m: metabolizedBy(first: 3) { totalCount } }
            ... on Compound { m: metabolizedBy(first: 3) { nodes { __typename id } } } } }
          fragment Names on Entity { id name synonyms description source category }""",
        {"id": MITRAGYNINE},
    ),
    "computed fields and evidence": (
        """query ($id: ID!) { entity(id: $id) { ... on Entity { iri xrefs { curie prefix iri }
          relations(first: 15) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { id biolinkPredicate subject { id } object { name }
              evidence { citations { curie iri } publications { curie } source
                aggregatorSources sourceVersion knowledgeLevel agentType evidenceKind
                observed assay species cellSystem sourceLocation direction negated effect
                effectSize mechanism result dose route role note
                measurement { measure comparator value low high interval unit unitSymbol
                  nanomolar relativeTo text } } } } } } } }""",
        {"id": MITRAGYNINE},
    ),
    "empty pages and pages past a cursor, several to a statement": (
        """query ($id: ID!) { entity(id: $id) { ... on Entity { none: relations(first: 0) {
            totalCount } relations(first: 4) { nodes { neighbour { id
              relations(first: 2, after: "b2Zmc2V0OjM=") { totalCount nodes { id }
                pageInfo { hasNextPage } }
              empty: relations(first: 0) { totalCount } } } } } } }""",
        {"id": MITRAGYNINE},
    ),
    "stored fields, typenames, both directions, empty pages, pages past a cursor": (
        """query ($id: ID!) { entity(id: $id) { __typename ... on Entity { id name description
          source none: relations(first: 0) { totalCount nodes { id } }
          relations(first: 6) { __typename totalCount nodes { __typename id predicate
            direction neighbour { __typename id name ... on Study { title year sampleSize }
              ... on Target { symbol taxon } n: name
              relations(first: 2, after: "b2Zmc2V0OjE=") { totalCount nodes { id direction
                predicate } } } } } } ... on Alkaloid { formula inchikey } } }""",
        {"id": MITRAGYNINE},
    ),
    "a second page by cursor": (
        """query ($id: ID!) { entity(id: $id) { ... on Target { symbol taxon
          ligands(first: 3, after: "b2Zmc2V0OjI=") { totalCount
            nodes { id neighbour { id } } } } } }""",
        {"id": MOR},
    ),
    "a study and what it measured": (
        """query ($id: ID!) { entity(id: $id) { ... on Study { title design species population
          sampleSize year summary citations { curie iri }
          measures { totalCount nodes { neighbour { name ... on OutcomeMeasure {
            conditions { nodes { neighbour { id } } } } } } }
          investigates(first: 2) { nodes { id } } } } }""",
        {"id": STUDY},
    ),
    "by cross-reference": (
        """query { entity(id: "CHEMBL.COMPOUND:CHEMBL299031") { ... on Entity { id name } } }""",
        {},
    ),
    "the filtered list": (
        """query ($investigates: String) { studies(
          filter: {designs: [CLINICAL_TRIAL, ANIMAL_IN_VIVO], yearFrom: 2010,
                   investigates: $investigates},
          sort: {field: YEAR, descending: true}, first: 20) {
            totalCount nodes { id title year } } }""",
        {"investigates": "mitragynine"},
    ),
    "the list's stored fields and typenames, a list without a filter": (
        """{ studies(sort: {field: TITLE, descending: false}, first: 7) { __typename totalCount
          nodes { __typename id name title species population sampleSize year summary source
            t: title } } }""",
        {},
    ),
    "every study field, every filter, a second page": (
        """query ($f: StudyFilter) { studies(filter: $f, sort: {field: TITLE}, first: 2,
            after: "b2Zmc2V0OjE=") { totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { cursor node { __typename id name category iri title design species
            population sampleSize year summary citations { curie iri } xrefs { curie } } } } }""",
        {
            "f": {
                "species": ["human"],
                "yearFrom": 1990,
                "yearTo": 2030,
                "minSampleSize": 1,
                "maxSampleSize": 100000,
            }
        },
    ),
    "studies connecting three terms, graded, with their paths": (
        """query ($entities: [String!]!) { studiesConnecting(entities: $entities, first: 5) {
          __typename ... on Unresolved { message unresolved }
          ... on ConnectingStudies { terms { term matchedBy entities { id name } }
            studies { totalCount pageInfo { hasNextPage endCursor }
              nodes { study { id title design year }
                grade { score letter design designWeight species speciesWeight sampleSize
                        sampleSizeWeight extraHops directnessWeight }
                paths { term length hops { id predicate direction
                  evidence { citations { curie } source result negated } } }
                nullFindings { predicate evidence { negated } } } } } } }""",
        {"entities": ["mitragynine", "opioid receptor", "anxiety"]},
    ),
    "the ends of a path's hops, loaded after the studies": (
        """{ studiesConnecting(entities: ["mitragynine", "opioid receptor", "anxiety"]) {
          ... on ConnectingStudies { studies { nodes {
            paths { hops { subject { id } object { __typename id name } neighbour { id } } }
          } } } } }""",
        {},
    ),
    "studies connecting a term that matches nothing": (
        """{ studiesConnecting(entities: ["mitragynine", "no such thing"]) {
          __typename ... on Unresolved { message unresolved } } }""",
        {},
    ),
}


def _on_mitragynine(selection: str, variables: str = "") -> str:
    """A query of mitragynine's ``selection`` (on Entity)."""
    entity = f'entity(id: "{MITRAGYNINE}") {{ ... on Entity {{ {selection} }} }}'
    return f"query {variables} {{ {entity} }}"


# Left to the executor: what it answers must come back unchanged through the middleware.
EXECUTED: dict[str, tuple[str, dict[str, Any]]] = {
    "not found": ("""{ entity(id: "PUBCHEM.COMPOUND:1") { __typename } }""", {}),
    "an empty id": ("""{ entity(id: "") { __typename } }""", {}),
    "another root field": ("""{ entities(name: "mitragynine") { id } }""", {}),
    "two root fields": (
        f"""{{ a: entity(id: "{MITRAGYNINE}") {{ __typename }}
        b: entity(id: "{MOR}") {{ __typename }} }}""",
        {},
    ),
    "a directive": (_on_mitragynine("id @include(if: $x)", "($x: Boolean!)"), {"x": True}),
    "a field that reads more": (
        _on_mitragynine("relations(first: 2) { nodes { evidence { tool { name } } } }"),
        {},
    ),
    "deeper than one statement reads": (
        _on_mitragynine(
            "relations(first: 2) { nodes { neighbour { relations(first: 3) { nodes { "
            "neighbour { relations(first: 4) { totalCount } } } } } } }"
        ),
        {},
    ),
    "a variable of the wrong type": (
        _on_mitragynine("relations(first: $n) { totalCount }", "($n: Int)"),
        {"n": "many"},
    ),
    "a page out of range": (_on_mitragynine("relations(first: 1000) { totalCount }"), {}),
    "a bad cursor": (_on_mitragynine('relations(after: "nonsense") { totalCount }'), {}),
    "a syntax error": ("""{ entity(id: "x") { """, {}),
    "an unknown field": ("""{ entity(id: "x") { ... on Entity { colour } } }""", {}),
    "introspection": ("""{ __schema { queryType { name } } }""", {}),
    "a filter term that matches nothing": (
        """{ studies(filter: {investigates: "no such thing"}) { totalCount } }""",
        {},
    ),
    "a study's relations in a list": (
        """{ studies(first: 2) { nodes { id investigates(first: 2) { totalCount } } } }""",
        {},
    ),
    "the entities a term expands to": (
        """{ studiesConnecting(entities: ["mitragynine", "anxiety"]) {
          ... on ConnectingStudies { terms { expandedTo { id } } } } }""",
        {},
    ),
    "too few terms": ("""{ studiesConnecting(entities: ["mitragynine"]) { __typename } }""", {}),
}


@pytest_asyncio.fixture(loop_scope="session")
async def both(curated_db: Driver, neo4j_endpoint: Neo4jEndpoint) -> AsyncIterator[tuple[Any, Any]]:
    del curated_db

    def settings(compiled: bool) -> Settings:
        return make_settings(
            neo4j_endpoint, PHARMAKG_RESPONSE_CACHE_MB=0, PHARMAKG_COMPILED_ANSWERS=compiled
        )

    async with serve(create_app(settings(True))) as on, serve(create_app(settings(False))) as off:
        yield on, off


async def _ask_both(
    both: tuple[Any, Any],
    query: str,
    variables: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> list[Any]:
    """The two responses, and what the compiled app answered itself (None: the executor)."""
    on, off = both
    body = {"query": query, "variables": variables}
    answered: list[Any] = []
    original = CompiledAnswers.answer

    async def spy(self: CompiledAnswers, *args: Any) -> Any:
        result = await original(self, *args)
        answered.append(result)
        return result

    with mock.patch.object(CompiledAnswers, "answer", spy):
        compiled = await on.post("/graphql", json=body, headers=headers)
    executed = await off.post("/graphql", json=body, headers=headers)
    assert compiled.status_code == executed.status_code
    assert compiled.content == executed.content
    assert sorted(compiled.headers.items()) == sorted(executed.headers.items())
    return [compiled, answered]


@pytest.mark.parametrize("name", COMPILED)
async def test_compiled_answers_equal_the_executors(both: tuple[Any, Any], name: str) -> None:
    response, answered = await _ask_both(both, *COMPILED[name])
    assert answered, "the middleware did not run"
    assert answered[0] is not None, "the executor answered"
    assert "errors" not in response.json()


# The entity and studies questions whose answer is assembled from the read's rows (the others
# are shaped from records: a field computed, converted or read further, a page of a list's
# item, or a variable below the root).
ASSEMBLED = {
    "typed, literal arguments",
    "nested studies",
    "stored fields, typenames, both directions, empty pages, pages past a cursor",
    "a second page by cursor",
    "by cross-reference",
    "the filtered list",
    "the list's stored fields and typenames, a list without a filter",
}


@pytest.mark.parametrize(
    "name", [n for n in COMPILED if any(root in COMPILED[n][0] for root in ("entity(", "studies("))]
)
async def test_answers_are_assembled_from_rows_when_every_field_is_stored(
    both: tuple[Any, Any], name: str
) -> None:
    """Asked twice: the first answer decides the plan, the second shows what it decided."""
    assembled: list[bool] = []
    original = compiled_answers._assembled

    def spy(*args: Any) -> Any:
        answer = original(*args)
        assembled.append(answer is not None)
        return answer

    with mock.patch.object(compiled_answers, "_assembled", spy):
        for _ in range(2):
            await _ask_both(both, *COMPILED[name])
    assert [a for a in assembled if a] == [True, True] * (name in ASSEMBLED)


@pytest.mark.parametrize("name", EXECUTED)
async def test_other_questions_are_left_to_the_executor(both: tuple[Any, Any], name: str) -> None:
    _, answered = await _ask_both(both, *EXECUTED[name])
    assert all(a is None for a in answered)


@pytest.mark.parametrize("name", COMPILED)
async def test_compiled_answers_read_no_more_than_the_executor(
    curated_db: Driver, neo4j_endpoint: Neo4jEndpoint, name: str
) -> None:
    del curated_db
    trips = []
    for compiled in (True, False):
        settings = make_settings(
            neo4j_endpoint, PHARMAKG_RESPONSE_CACHE_MB=0, PHARMAKG_COMPILED_ANSWERS=compiled
        )
        trips.append((await count_round_trips(settings, *COMPILED[name]))[0])
    assert trips[0] <= trips[1]


async def test_a_document_is_planned_once(both: tuple[Any, Any]) -> None:
    query, variables = COMPILED["typed, literal arguments"]
    query += "  # a text not asked before"
    planned: list[Any] = []
    original = CompiledAnswers._planned

    def spy(self: CompiledAnswers, *args: Any) -> Any:
        planned.append(args)
        return original(self, *args)

    on, _ = both
    with mock.patch.object(CompiledAnswers, "_planned", spy):
        for _ in range(3):
            response = await on.post("/graphql", json={"query": query, "variables": variables})
            assert "errors" not in response.json()
    assert len(planned) == 1


@contextmanager
def _plans_of(query: str) -> Iterator[list[Any]]:
    """The plan the compiled app holds for ``query``, taken as each request is answered."""
    plans: list[Any] = []
    original = CompiledAnswers.answer

    async def spy(self: CompiledAnswers, *args: Any) -> Any:
        plans.append(self.plan(query, None))
        return await original(self, *args)

    with mock.patch.object(CompiledAnswers, "answer", spy):
        yield plans


async def test_a_plan_keeps_what_it_collects_bounded(both: tuple[Any, Any]) -> None:
    """Fields merged under one key are collected once for the plan, not once a request."""
    query, variables = COMPILED["fragments, aliases, __typename, merged fields"]
    on, _ = both
    sizes = []
    with _plans_of(query) as plans:
        for _ in range(3):
            response = await on.post("/graphql", json={"query": query, "variables": variables})
            assert "errors" not in response.json()
            sizes.append(len(plans[-1].collected))
    assert plans[0].below is not None
    assert sizes[0] > 0
    assert sizes == [sizes[0]] * 3


# A question, its one variable's values (the first asked again third, the fourth pushing the
# second out) and what tells their answers apart.
ASKED_AGAIN: dict[str, tuple[str, list[str | None], Callable[[Any], Any]]] = {
    "the filtered list": (
        "investigates",
        ["mitragynine", None, "mitragynine", "kratom"],
        lambda data: data["studies"]["totalCount"],
    ),
    "typed, literal arguments": (
        "id",
        [MITRAGYNINE, MOR, MITRAGYNINE, STUDY],
        lambda data: data["entity"]["name"],
    ),
}


@pytest.mark.parametrize("name", ASKED_AGAIN)
async def test_a_plan_works_out_what_each_variables_ask_once(
    both: tuple[Any, Any], name: str
) -> None:
    """Coerced and converted once per variables, kept bounded; other variables, another
    answer."""
    query, _ = COMPILED[name]
    variable, values, told_apart = ASKED_AGAIN[name]
    answers = []
    with _plans_of(query) as plans:
        for value in values[:3]:
            response, _ = await _ask_both(both, query, {variable: value})
            answers.append(told_apart(response.json()["data"]))
        assert len(plans[-1].asked) == 2
        with mock.patch.object(compiled_answers, "ASKED_KEPT", 2):
            await _ask_both(both, query, {variable: values[3]})
        # the least recently asked goes first
        assert list(plans[-1].asked) == [orjson.dumps({variable: v}) for v in values[2:]]
    assert answers[0] == answers[2] != answers[1]


@pytest.mark.parametrize(
    "headers",
    [
        {"accept": "application/graphql-response+json"},
        {"accept": "multipart/mixed"},
        {"content-type": "application/json; charset=utf-8"},
    ],
)
async def test_the_same_whatever_the_client_accepts(
    both: tuple[Any, Any], headers: dict[str, str]
) -> None:
    await _ask_both(both, *COMPILED["typed, literal arguments"], headers=headers)


@pytest.mark.parametrize("name", ["typed, literal arguments", "the filtered list"])
async def test_an_unexpected_error_is_left_to_the_executor(
    both: tuple[Any, Any], name: str
) -> None:
    """A bug below the shortcut (here: a read that raises what no read should) gets the
    executor's masked error, not a server error of the shortcut's own."""
    failing = mock.AsyncMock(side_effect=ValueError("a value this version does not know"))
    with (
        mock.patch("graph.reads.entity_rows", failing),
        mock.patch("graph.reads.study_rows", failing),
    ):
        response, answered = await _ask_both(both, *COMPILED[name])
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert all(a is None for a in answered)


async def test_a_failed_load_below_the_root_is_left_to_the_executor(
    both: tuple[Any, Any],
) -> None:
    """The hop ends are loaded after the studies: if that read fails, the executor's error
    sits on the field below the root, so the executor answers it."""
    failing = mock.AsyncMock(side_effect=GraphUnavailableError("Neo4j is not available"))
    with mock.patch("graph.reads.get_nodes", failing):
        response, answered = await _ask_both(
            both, *COMPILED["the ends of a path's hops, loaded after the studies"]
        )
    assert response.json()["errors"]
    assert all(a is None for a in answered)


async def test_a_failed_read_is_answered_as_the_executor_answers_it(
    neo4j_endpoint: Neo4jEndpoint,
) -> None:
    """Neo4j out of reach: the same masked error, after one read (not a second try)."""
    gone = Neo4jEndpoint("bolt://127.0.0.1:1", neo4j_endpoint.user, neo4j_endpoint.password)

    def settings(compiled: bool) -> Settings:
        return make_settings(gone, PHARMAKG_RESPONSE_CACHE_MB=0, PHARMAKG_COMPILED_ANSWERS=compiled)

    query, variables = COMPILED["typed, literal arguments"]
    async with serve(create_app(settings(True))) as on, serve(create_app(settings(False))) as off:
        response, answered = await _ask_both((on, off), query, variables)
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPH_UNAVAILABLE"
    assert answered[0] is not None  # answered by the compiled path: no second read
