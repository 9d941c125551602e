"""Apply the schema derived from the vocabulary (idempotent: every statement is IF NOT EXISTS)."""

from __future__ import annotations

import logging

from neo4j import Driver

from graph.cypher import schema as cypher

logger = logging.getLogger(__name__)


def apply_schema(
    driver: Driver, *, database: str | None = None, wait_seconds: int = 300
) -> list[str]:
    """Create constraints and indexes, wait until they are online; return the statements."""
    statements = cypher.schema_statements()
    with driver.session(database=database) as session:
        for statement in statements:
            session.run(statement).consume()
        session.run(cypher.AWAIT_INDEXES, seconds=wait_seconds).consume()
    logger.info("schema applied: %d constraints and indexes, all online", len(statements))
    return statements


def schema_names(driver: Driver, *, database: str | None = None) -> set[str]:
    """Names of the constraints and indexes present."""
    with driver.session(database=database) as session:
        constraints = session.run(cypher.SHOW_CONSTRAINTS).single(strict=True)["names"]
        indexes = session.run(cypher.SHOW_INDEXES).single(strict=True)["names"]
    return set(constraints) | set(indexes)
