"""The schema: constraints and indexes derived from the vocabulary, and what lists them."""

from __future__ import annotations

from graph.cypher import ENTITY, NAMES_INDEX, XREFS_INDEX, label, rel_type
from ontology.vocab import Category, Predicate


def schema_statements() -> list[str]:
    """Constraints and indexes derived from the vocabulary; all idempotent (IF NOT EXISTS)."""
    statements = [
        f"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE",
        f"CREATE INDEX entity_name IF NOT EXISTS FOR (n:{ENTITY}) ON (n.name)",
    ]
    for category in Category:
        snake = category.value
        statements += [
            f"CREATE CONSTRAINT {snake}_id IF NOT EXISTS "
            f"FOR (n:{label(category)}) REQUIRE n.id IS UNIQUE",
            f"CREATE INDEX {snake}_name IF NOT EXISTS FOR (n:{label(category)}) ON (n.name)",
        ]
    for predicate in Predicate:
        statements.append(
            f"CREATE CONSTRAINT rel_{predicate.value}_id IF NOT EXISTS "
            f"FOR ()-[r:{rel_type(predicate)}]-() REQUIRE r.id IS UNIQUE"
        )
    study = label(Category.STUDY)
    statements += [  # the studies list's filters (``reads.study_rows``)
        f"CREATE INDEX study_design IF NOT EXISTS FOR (n:{study}) ON (n.design)",
        f"CREATE INDEX study_year IF NOT EXISTS FOR (n:{study}) ON (n.year)",
        # Both together, so a design with a range of years is one seek, not a seek of the
        # years and a read of every design (1M edges: 53 -> 14 ms).
        f"CREATE INDEX study_design_year IF NOT EXISTS FOR (n:{study}) ON (n.design, n.year)",
    ]
    every = "|".join(label(c) for c in Category)  # in the vocabulary's order, as first created
    statements += [
        f"CREATE FULLTEXT INDEX {NAMES_INDEX} IF NOT EXISTS FOR (n:{every}) "
        "ON EACH [n.name, n.synonyms, n.title, n.symbol]",
        # The keyword analyzer keeps a CURIE whole, so a cross-reference is found exactly.
        f"CREATE FULLTEXT INDEX {XREFS_INDEX} IF NOT EXISTS FOR (n:{every}) "
        "ON EACH [n.id, n.xrefs] OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}",
    ]
    return statements


AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"
SHOW_CONSTRAINTS = "SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names"
SHOW_INDEXES = "SHOW INDEXES YIELD name RETURN collect(name) AS names"
