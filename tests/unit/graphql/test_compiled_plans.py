"""Which documents ``api.graphql.compiled`` answers itself: planned once, the rest refused."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from strawberry.types.nodes import convert_selections

from api.graphql.compiled import CompiledAnswers
from api.graphql.limits import CACHE_SIZE, MAX_DEPTH
from api.graphql.schema import build_schema

ENTITY = '{ entity(id: "PUBCHEM.COMPOUND:3034396") { ... on Entity { id name } } }'


@pytest.fixture(scope="module")
def answers() -> CompiledAnswers:
    return CompiledAnswers(build_schema(production=False), production=False)


def test_an_entity_with_its_fields_is_planned(answers: CompiledAnswers) -> None:
    plan = answers.plan(ENTITY, None)
    assert plan is not None
    assert plan.root.name.value == "entity"


def test_the_named_operation_is_planned(answers: CompiledAnswers) -> None:
    document = f'query A {ENTITY} query B {{ entities(name: "x") {{ id }} }}'
    assert answers.plan(document, "A") is not None
    assert answers.plan(document, "B") is None
    assert answers.plan(document, None) is None  # two operations and no name: an error


@pytest.mark.parametrize(
    "document",
    [
        "{ studies(first: 3) { totalCount nodes { id title year } } }",
        '{ studiesConnecting(entities: ["a", "b"]) { ... on ConnectingStudies { '
        "studies { nodes { study { id } grade { score } paths { hops { predicate } } } } } } }",
    ],
    ids=["studies", "studiesConnecting"],
)
def test_root_fields_answered_by_their_resolver_are_planned(
    answers: CompiledAnswers, document: str
) -> None:
    assert answers.plan(document, None) is not None


@pytest.mark.parametrize(
    "document",
    [
        '{ entities(name: "mitragynine") { id } }',
        "{ studies { nodes { investigates { totalCount } } } }",
        '{ studiesConnecting(entities: ["a", "b"]) { ... on ConnectingStudies { '
        "terms { expandedTo { id } } } } }",
        '{ a: entity(id: "x") { __typename } b: entity(id: "y") { __typename } }',
        '{ entity(id: "x") { ... on Entity { id @skip(if: true) } } }',
        '{ entity(id: "x") { ... on Entity { colour } } }',
        '{ entity(id: "x") { ',
        "{ __schema { types { name } } }",
        "{ " + 'entity(id: "x") { ... on Entity { id } } ' * 2 + "}",
        '{ entity(id: "x") { ... on Entity { '
        + "relations { nodes { neighbour { " * MAX_DEPTH
        + "id"
        + " } } }" * MAX_DEPTH
        + " } } }",
    ],
    ids=[
        "another root field",
        "a page below a list",
        "a field that reads",
        "two root fields",
        "a directive",
        "an unknown field",
        "a syntax error",
        "introspection",
        "a repeated root field",
        "too deep",
    ],
)
def test_other_documents_go_to_the_executor(answers: CompiledAnswers, document: str) -> None:
    assert answers.plan(document, None) is None


def test_production_refuses_what_the_executor_refuses() -> None:
    production = CompiledAnswers(build_schema(production=True), production=True)
    document = '{ entity(id: "x") { __typename ... on Entity { id } } } '
    assert production.plan(document, None) is not None
    assert production.plan('{ __type(name: "Entity") { name } }', None) is None


def test_plans_are_kept_and_bounded(answers: CompiledAnswers) -> None:
    first = answers.plan(ENTITY, None)
    assert answers.plan(ENTITY, None) is first
    for index in range(400):
        answers.plan(ENTITY.replace("id name", f"id name n{index}: name"), None)
    assert len(answers._plans) <= CACHE_SIZE


TYPED = """query ($id: ID!) { entity(id: $id) { ...Named ... on Entity {
  relations(predicates: [METABOLIZED_BY], direction: OUT, first: 20) { totalCount
    nodes { id neighbour { id name } } } } } }
  fragment Named on Entity { id name }"""


def test_selections_that_read_no_variable_are_converted_once(answers: CompiledAnswers) -> None:
    plan = answers.plan(TYPED, None)
    assert plan is not None
    assert plan.below is not None
    assert plan.pages
    for entity in ("PUBCHEM.COMPOUND:3034396", "UniProtKB:P35372"):
        scope = SimpleNamespace(fragments=plan.fragments, variable_values={"id": entity})
        [expected] = convert_selections(scope, [plan.root])  # type: ignore[arg-type]
        selected = plan.selected(scope)
        assert selected == expected  # the same field, arguments and selections
        assert selected.selections is plan.below  # not converted again


@pytest.mark.parametrize(
    "document",
    [
        TYPED.replace("first: 20", "first: $n").replace("$id: ID!", "$id: ID!, $n: Int"),
        TYPED.replace("{ id name }", "{ id name r: relations(first: $n) { totalCount } }").replace(
            "$id: ID!", "$id: ID!, $n: Int"
        ),
    ],
    ids=["in the selection", "in a fragment"],
)
def test_selections_that_read_a_variable_are_converted_per_request(
    answers: CompiledAnswers, document: str
) -> None:
    plan = answers.plan(document, None)
    assert plan is not None
    assert plan.below is None
    assert plan.pages is None
    scope = SimpleNamespace(fragments=plan.fragments, variable_values={"id": "x", "n": 3})
    assert plan.selected(scope) == convert_selections(scope, [plan.root])[0]  # type: ignore[arg-type]
