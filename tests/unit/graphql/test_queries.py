"""The read queries: pure strings, labels from the vocabulary, values only as parameters."""

from __future__ import annotations

import re

import pytest

from graph.cypher import ENTITY, VERSION_LABEL
from graph.cypher import reads as queries
from graph.cypher.reads import MAX_PATH_HOPS, MeasurementOrder, PageShape, StudyOrder
from ontology.vocab import CATEGORIES, PREDICATES

# A compound's studies, and each study's measures: the nested studies question.
NESTED_PAGES = PageShape(
    ("Alkaloid", "Drug"),
    (("INVESTIGATES",), "in"),
    (PageShape(("Study",), (("MEASURES",), "out")),),
)
CONSTANTS = {
    name: getattr(queries, name)
    for name in dir(queries)
    if name.isupper() and isinstance(getattr(queries, name), str)
}
BUILT = (
    [
        queries.studies(o, d, f, t)
        for o in StudyOrder
        for d in (True, False)
        for f in (frozenset(), frozenset(queries.STUDY_FILTERS))
        for t in (True, False)
    ]
    + [queries.measurements(o, d) for o in MeasurementOrder for d in (True, False)]
    + [queries.paths(h) for h in range(1, MAX_PATH_HOPS + 1)]
    + [queries.paths(2, ("BINDS", "MEMBER_OF"))]
    + [
        queries.relations(
            ((None, "both"), (("INHIBITS",), "out"), (("MEMBER_OF", "SUBCLASS_OF"), "in"))
        )
    ]
    + [queries.entity_with_pages(()), queries.entity_with_pages((NESTED_PAGES,))]
    + [queries.studies_connecting(True), queries.studies_connecting(False)]
)
ALL = list(CONSTANTS.values()) + BUILT
KNOWN = (
    {i.label for i in CATEGORIES.values()} | {i.rel_type for i in PREDICATES.values()} | {"Entity"}
)


def test_the_module_holds_the_queries() -> None:
    assert {
        "NODES_BY_IDS",
        "RESOLVE_TERMS",
        "SEARCH",
        "EXPAND",
        "INTERACTIONS",
        "PHARMACOLOGY",
        "METABOLISM",
    } <= set(CONSTANTS)


@pytest.mark.parametrize("query", ALL)
def test_labels_and_types_are_backticked_vocabulary(query: str) -> None:
    for name in re.findall(r"`([^`]*)`", query):
        assert name in KNOWN, name
    # Every label or type after a colon in a pattern is backticked, the Entity label or the
    # graph version's bookkeeping label.
    for name in re.findall(r"[(\[|]:?\s*[a-z_]*:([A-Za-z_]+)", query):
        assert name in {ENTITY, VERSION_LABEL}, (name, query)


@pytest.mark.parametrize("query", ALL)
def test_no_template_residue(query: str) -> None:
    assert "{{" not in query
    assert "None" not in query


def test_builders_are_cached_and_deterministic() -> None:
    assert queries.studies(StudyOrder.YEAR, True) is queries.studies(StudyOrder.YEAR, True)
    assert "DESC" in queries.studies(StudyOrder.YEAR, True)
    assert "ASC" in queries.studies(StudyOrder.YEAR, False)


def test_studies_resolve_their_term_only_when_given_one() -> None:
    plain = queries.studies(StudyOrder.YEAR, True)
    assert "$terms" not in plain
    assert "queryNodes" not in plain  # no term resolution: the statement of old
    one = queries.studies(StudyOrder.YEAR, True, investigates=True)
    assert one.startswith(queries.RESOLVE_TERMS.split("RETURN")[0])  # the shared resolution
    assert "$investigates" not in one  # no ids from an earlier statement


def test_studies_write_only_the_filters_given() -> None:
    """``$x IS NULL OR ...`` would hide the design and year indexes from the planner."""
    plain = queries.studies(StudyOrder.YEAR, True)
    assert "WHERE" not in plain
    assert "IS NULL OR" not in plain
    some = queries.studies(StudyOrder.YEAR, True, frozenset({"designs", "year_from"}))
    assert "WHERE s.design IN $designs AND s.year >= $year_from" in some
    assert "$species" not in some
    with pytest.raises(ValueError, match="colour"):
        queries.studies(StudyOrder.YEAR, True, frozenset({"colour"}))


@pytest.mark.parametrize("hops", [0, -1, MAX_PATH_HOPS + 1, 100])
def test_path_lengths_outside_the_range_are_refused(hops: int) -> None:
    with pytest.raises(ValueError, match="max_hops"):
        queries.paths(hops)


def test_paths_query_has_the_hop_bound() -> None:
    assert "*1..3]" in queries.paths(3)


def test_relations_match_only_the_named_types_and_directions() -> None:
    query = queries.relations(
        ((("INHIBITS", "BINDS"), "out"), (("MEMBER_OF",), "in"), (None, "both"))
    )
    assert "MATCH (n)-[r:`BINDS`|`INHIBITS`]->(m:Entity)" in query
    assert "MATCH (n)<-[r:`MEMBER_OF`]-(m:Entity)" in query
    assert "MATCH (n)-[r]-(m:Entity)" in query
    assert "type(r) IN" not in query  # no filter after the match
    assert "startNode(r) = n" not in query


def test_a_batch_of_relation_pages_is_counted_by_degree_and_sorted_only_as_far_as_it_reaches() -> (
    None
):
    """The executor's pages of a hub are neither collected nor sorted whole (issue #18)."""
    query = queries.relations(((("INHIBITS",), "out"), (None, "both")))
    assert query.count("LIMIT $reach") == 2  # one top-k per shape
    assert "COUNT { (n)-[:`INHIBITS`]->() }" in query
    assert "COUNT { (n)-[]-() }" in query
    assert "size(rels)" not in query


def test_relations_refuse_what_is_not_vocabulary() -> None:
    with pytest.raises(ValueError, match="unknown relationship types"):
        queries.relations(((("KNOWS`]-() DETACH DELETE n //",), "out"),))
    with pytest.raises(ValueError, match="direction"):
        queries.relations(((None, "sideways"),))
    with pytest.raises(ValueError, match="unknown relationship types"):
        queries.paths(2, ("KNOWS",))


def test_typed_paths_name_their_types_in_the_pattern() -> None:
    query = queries.paths(3, ("MEMBER_OF", "BINDS"))
    assert "[rels:`BINDS`|`MEMBER_OF`*1..3]" in query
    assert "$types" not in query


def test_pages_read_ahead_take_only_vocabulary_and_bounded_depth() -> None:
    with pytest.raises(ValueError, match="unknown labels"):
        queries.entity_with_pages((PageShape(("Study`) DETACH DELETE (x",), (None, "out")),))
    with pytest.raises(ValueError, match="unknown relationship types"):
        queries.entity_with_pages((PageShape(("Study",), (("NOPE",), "out")),))
    deep = PageShape(("Study",), (None, "out"), (NESTED_PAGES,))
    with pytest.raises(ValueError, match="at most"):
        queries.entity_with_pages((PageShape(("Study",), (None, "out"), (deep,)),))


def test_pages_read_ahead_are_windowed_by_parameters() -> None:
    query = queries.entity_with_pages((NESTED_PAGES,))
    assert "SKIP $w[0][0] LIMIT $w[0][1]" in query
    assert "SKIP $w[1][0] LIMIT $w[1][1]" in query
    assert re.search(r"(SKIP|LIMIT)\s*\d", query) is None  # no literal bound


def test_a_read_ahead_page_is_counted_by_degree_and_sorted_only_as_far_as_it_reaches() -> None:
    """The hub's thousands of relations are neither collected nor sorted whole (issue #18)."""
    query = queries.entity_with_pages((NESTED_PAGES,))
    assert "collect([r1, m1]) AS page" in query
    assert "rels" not in query
    assert re.search(r"COUNT \{ \(one\)\S*\[:`\w+`\]\S*\(\) \}", query)
