"""The studies list's filters seek an index of the graph's schema, not every study; its
pages by indexed year are those a sort of every match gives."""

from __future__ import annotations

from itertools import product
from typing import Any

import pytest
from neo4j import Driver

from graph.cypher import reads


def _operators(plan: Any) -> list[str]:
    """Every operator of a plan with its details, depth first."""
    found = [f"{plan['operatorType']} {plan.get('args', {}).get('Details', '')}"]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


def test_a_design_with_a_range_of_years_is_one_seek(curated_db: Driver) -> None:
    statement = reads.studies(reads.StudyOrder.YEAR, True, frozenset({"designs", "year_from"}))
    params = {"designs": ["clinical_trial"], "year_from": 2015, "offset": 0, "limit": 20}
    plan = curated_db.execute_query("EXPLAIN " + statement, params).summary.plan
    operators = _operators(plan)
    seeks = [op for op in operators if op.startswith("NodeIndexSeek")]
    assert any("Study(design, year)" in seek for seek in seeks), "\n".join(operators)
    assert not any(op.startswith("Filter") for op in operators), operators  # nothing read back


def _studies_with_tied_years(driver: Driver) -> list[dict[str, Any]]:
    """Sixty studies over six years and two designs, written in no particular order."""
    studies = [
        {"id": f"PMID:{90000 + (i * 37) % 60}", "design": ("clinical_trial", "cohort")[i % 2],
         "year": 2012 + i % 6}
        for i in range(60)
    ]  # fmt: skip
    driver.execute_query("UNWIND $studies AS s CREATE (n:Entity:Study) SET n = s", studies=studies)
    return studies


@pytest.mark.parametrize("descending", [True, False])
def test_a_page_by_indexed_year_is_the_page_of_every_match_sorted(
    clean_db: Driver, descending: bool
) -> None:
    studies = _studies_with_tied_years(clean_db)
    filters = frozenset({"designs", "year_from", "year_to"})
    statement = reads.studies(reads.StudyOrder.YEAR, descending, filters)
    matched = [s for s in studies if s["design"] == "cohort" and 2013 <= s["year"] <= 2016]
    by_year = sorted(matched, key=lambda s: s["id"])
    by_year.sort(key=lambda s: s["year"], reverse=descending)
    params = {"designs": ["cohort"], "year_from": 2013, "year_to": 2016}
    for offset, limit in product([0, 1, 7, 19, 20, 25], [0, 1, 3, 8, 30]):
        [row] = clean_db.execute_query(statement, params, offset=offset, limit=limit).records
        assert row["total"] == len(matched)
        page = [s["id"] for s in row["page"]]
        assert page == [s["id"] for s in by_year[offset : offset + limit]], (offset, limit)
