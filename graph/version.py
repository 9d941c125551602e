"""The graph version: one small node every load gives a new random token, in its own transaction.

An answer computed from the graph is valid for the token it was computed under: the API caches
answers keyed by it (``api.graphql.cache``), so a load, which replaces the token, makes every
cached answer unreachable at once. The node carries no ``Entity`` label: counts, exports and
the GraphQL API never see it. ``delete_all`` removes it, and with no token nothing is cached.

A worker of the API may use a token for ``LEASE_SECONDS`` after it began to read it, instead of
reading it for every request (a round trip to Neo4j that costs as much as answering from the
cache). So every change of the token waits out that lease before it returns: once a load has
returned, no worker answers from the token it replaced. A request that comes while a load runs
may be answered from before it, as it always could (a load commits in batches; the token is
bumped last).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from neo4j import Driver

from graph.cypher.reads import GRAPH_VERSION
from graph.cypher.writes import BUMP_VERSION
from graph.reads import Reader, fetch

logger = logging.getLogger(__name__)

# How long the API may use a token after it began to read it; every bump waits this long after
# its commit (read at each use, so that a test may change it).
LEASE_SECONDS = 0.05


def wait_out_leases() -> None:
    """Return once no worker of the API can still use a token read before now."""
    time.sleep(LEASE_SECONDS)


def bump(driver: Driver, database: str | None = None) -> str:
    """Give the graph a new version token (its own write transaction); the token."""
    records, _, _ = driver.execute_query(BUMP_VERSION, database_=database)
    token = str(records[0]["token"])
    wait_out_leases()
    logger.info("graph version bumped to %s", token)
    return token


@contextmanager
def bumped(driver: Driver, database: str | None = None) -> Iterator[None]:
    """Bump the version after the block, whether it succeeds or fails: a load that failed
    part-way may have committed some of its batches, and answers from before it are stale.
    After a failure the bump is tried, and its own error (Neo4j gone) never hides the load's."""
    try:
        yield
    except BaseException:
        # One attempt, no retries: when Neo4j is gone, the load's error comes out at once.
        with suppress(Exception), driver.session(database=database) as session:
            session.run(BUMP_VERSION).consume()
            wait_out_leases()
            logger.info("graph version bumped after a failed load")
        raise
    bump(driver, database)


def current(driver: Driver, database: str | None = None) -> str | None:
    """The version token, or None when the graph has none (never loaded through a load)."""
    records, _, _ = driver.execute_query(GRAPH_VERSION, database_=database, routing_="r")
    return str(records[0]["token"]) if records else None


async def read(reader: Reader) -> str | None:
    """``current`` for the API, through its reader: one read, without the server's
    notifications (before the first load the label is unknown, which is no news)."""
    rows = await fetch(reader, GRAPH_VERSION, {}, notifications=False)
    token = rows[0]["token"] if rows else None
    return None if token is None else str(token)
