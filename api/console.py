"""What every command shares: the error console, ``fail`` and ``connect`` (no command here).

``api.cli`` and the commands that live beside their interface code (``api.rdf``'s
``export-rdf``) both import this module, so neither imports the other back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable
from rich.console import Console
from rich.markup import escape

from api.settings import Settings

err = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


@contextmanager
def connect(settings: Settings) -> Iterator[Driver]:
    """One driver for the command, verified, always closed."""
    driver = GraphDatabase.driver(settings.neo4j_uri, auth=settings.auth)
    try:
        driver.verify_connectivity()
    except (ServiceUnavailable, OSError) as error:
        driver.close()
        raise fail(
            f"Neo4j is not reachable at {settings.neo4j_uri} ({error}); start it with "
            "`pharmakg neo4j start`"
        ) from error
    except AuthError as error:
        driver.close()
        raise fail(
            f"Neo4j refused the credentials for user {settings.neo4j_user!r}: check NEO4J_PASSWORD"
        ) from error
    try:
        yield driver
    finally:
        driver.close()
