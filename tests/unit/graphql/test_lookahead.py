"""Looking ahead at a selection: which relation pages an entity query is read with."""

from __future__ import annotations

from strawberry.types.nodes import InlineFragment, SelectedField, Selection

from api.graphql.limits import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from api.graphql.lookahead import page_plans, shows_links
from graph.reads import PagePlan
from ontology.vocab import Category


def field(
    name: str, selections: list[Selection] | None = None, **arguments: object
) -> SelectedField:
    return SelectedField(name, {}, dict(arguments), selections or [])


def on(type_name: str, *selections: Selection) -> InlineFragment:
    return InlineFragment(type_name, list(selections), {})


# The peer benchmark's nested studies question (benchmarks/peer_questions.py: OURS_NESTED).
NESTED = [
    on(
        "Compound",
        field("id"),
        field(
            "studies",
            [
                field("totalCount"),
                field(
                    "nodes",
                    [
                        field(
                            "neighbour",
                            [on("Study", field("title"), field("measures", first="5"))],
                        )
                    ],
                ),
            ],
            first="10",
        ),
    )
]


def test_the_nested_studies_question_is_planned_two_levels_deep() -> None:
    measures = PagePlan(frozenset({Category.STUDY}), ("MEASURES",), "out", 0, 5)
    studies = PagePlan(
        frozenset({Category.ALKALOID, Category.DRUG}), ("INVESTIGATES",), "in", 0, 10, (measures,)
    )
    assert page_plans(NESTED) == (studies,)


def test_a_field_name_reads_what_each_category_means_by_it() -> None:
    plans = page_plans([field("studies", [field("totalCount")])])  # on Entity: every category
    by_type = {p.types: p for p in plans}
    assert by_type[("INVESTIGATES",)].categories == {
        Category.ALKALOID,
        Category.DRUG,
        Category.ORGANISM,
    }
    assert by_type[("MEASURES",)].categories == {Category.OUTCOME_MEASURE}
    assert Category.RECEPTOR in by_type[("TESTS_MECHANISM",)].categories
    assert all(p.limit == DEFAULT_PAGE_SIZE and p.children == () for p in plans)


def test_the_generic_relations_field_reads_its_arguments() -> None:
    # literals come as the enums' GraphQL names, variables as their values
    typed = field("relations", predicates=["METABOLIZED_BY"], direction="OUT", first="20")
    by_variables = field("relations", predicates=["inhibits", "binds"], direction="in")
    single = field("relations", predicates="INHIBITS")  # a single value for a list
    assert page_plans([on("Alkaloid", typed, by_variables, single)]) == (
        PagePlan(frozenset({Category.ALKALOID}), ("METABOLIZED_BY",), "out", 0, 20),
        PagePlan(frozenset({Category.ALKALOID}), ("BINDS", "INHIBITS"), "in", 0, 20),
        PagePlan(frozenset({Category.ALKALOID}), ("INHIBITS",), "both", 0, 20),
    )
    [every] = page_plans([field("relations", predicates=[], first="5")])  # on Entity
    assert (every.types, every.direction, every.limit) == (None, "both", 5)
    assert every.categories == frozenset(Category)


def test_what_is_not_planned_is_left_to_the_resolvers() -> None:
    for wrong in ({"predicates": ["NOT_A_PREDICATE"]}, {"direction": "UP"}, {"predicates": [1]}):
        assert page_plans([on("Study", field("relations", **wrong))]) == ()
    assert page_plans([on("Study", field("measures", first=str(MAX_PAGE_SIZE + 1)))]) == ()
    assert page_plans([on("Study", field("measures", after="not a cursor"))]) == ()
    assert page_plans([on("Study", field("title"))]) == ()


def test_connecting_studies_show_their_links_unless_only_study_and_grade() -> None:
    def asked(*selections: Selection) -> list[Selection]:
        return [on("ConnectingStudies", field("studies", [field("nodes", list(selections))]))]

    assert not shows_links(asked(field("study", [field("id")]), field("grade")))
    assert shows_links(asked(field("study"), on("ConnectingStudy", field("paths"))))
    assert shows_links(asked(field("nullFindings")))
    edges = field("edges", [field("cursor"), field("node", [field("nullFindings")])])
    assert shows_links([field("studies", [edges])])
    assert not shows_links([field("terms"), field("studies", [field("totalCount")])])
