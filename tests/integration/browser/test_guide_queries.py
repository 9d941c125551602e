"""Each guide query runs on the curated dataset and draws the nodes its question is about."""

from __future__ import annotations

import pytest
from neo4j import Driver

from browser.slides import SLIDES, Slide
from ontology.vocab import Category
from tests.integration.browser.picture import run

# Neo4j warns, without failing, when a query names a label, type or property the database has
# never seen: exactly the mistakes a typo in a guide query makes.
UNKNOWN_TERMS = {
    "Neo.ClientNotification.Statement.UnknownLabelWarning",
    "Neo.ClientNotification.Statement.UnknownRelationshipTypeWarning",
    "Neo.ClientNotification.Statement.UnknownPropertyKeyWarning",
}


def _id(slide: Slide) -> str:
    return slide.key


@pytest.mark.parametrize("slide", SLIDES, ids=_id)
def test_the_query_draws_the_expected_nodes(curated_db: Driver, slide: Slide) -> None:
    drawn = run(curated_db, slide.cypher)
    missing = slide.expect - drawn.names
    assert not missing, f"{slide.key} does not draw {sorted(missing)}"
    assert len(drawn.nodes) <= slide.max_nodes, (
        f"{slide.key} draws {len(drawn.nodes)} nodes; more than {slide.max_nodes} is unreadable"
    )
    assert drawn.relationships, "a picture without relationships answers nothing"


@pytest.mark.parametrize("slide", SLIDES, ids=_id)
def test_the_query_names_only_what_the_database_knows(curated_db: Driver, slide: Slide) -> None:
    _, summary, _ = curated_db.execute_query(f"EXPLAIN {slide.cypher}", database_="neo4j")
    unknown = [
        f"{n.get('code')}: {n.get('description')}"
        for n in summary.notifications or []
        if n.get("code") in UNKNOWN_TERMS
    ]
    assert unknown == []


def test_explain_does_report_an_unknown_label(curated_db: Driver) -> None:
    # The check above can fail: a misspelt label is reported.
    _, summary, _ = curated_db.execute_query(
        "EXPLAIN MATCH (n:Alkaloids) RETURN n", database_="neo4j"
    )
    codes = {n.get("code") for n in summary.notifications or []}
    assert "Neo.ClientNotification.Statement.UnknownLabelWarning" in codes


def test_the_anxiety_answer_is_the_opioid_blocker_study(curated_db: Driver) -> None:
    drawn = run(curated_db, SLIDES[0].cypher)
    studies = {n.name for n in drawn.nodes.values() if n.category is Category.STUDY}
    assert (
        "Anxiolytic-like effects of mitragynine in the open-field and elevated plus-maze "
        "tests in rats" in studies
    )
    assert {"MEASURES", "OUTCOME_OF", "TESTS_MECHANISM", "INVESTIGATES", "MEMBER_OF"} <= set(
        drawn.relationships.values()
    )


def test_conflicting_values_stay_side_by_side(curated_db: Driver) -> None:
    records, _, _ = curated_db.execute_query(SLIDES[3].cypher, database_="neo4j")
    assert records, "the curated dataset holds conflicting CYP inhibition values (CYP2C9 IC50)"
    for record in records:
        assert len(record["reports"]) >= 2
        assert record["fold"] > 3
