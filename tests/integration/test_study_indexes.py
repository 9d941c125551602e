"""The studies list's filters seek an index of the graph's schema, not every study."""

from __future__ import annotations

from typing import Any

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
