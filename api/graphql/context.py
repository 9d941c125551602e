"""The per-request context: the reader (driver, database, timeout) and fresh DataLoaders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from strawberry.fastapi import BaseContext

from api.graphql.loaders import Loaders, build_loaders
from api.settings import Settings
from graph.reads import Reader


class Context(BaseContext):
    def __init__(self, reader: Reader, settings: Settings) -> None:
        super().__init__()
        self.reader = reader
        self.settings = settings
        self.loaders: Loaders = build_loaders(reader)


def context_getter(settings: Settings) -> Callable[[Request], Awaitable[Context]]:
    """A FastAPI dependency building the context from the app's driver (see ``api.app``)."""

    async def get_context(request: Request) -> Context:
        return Context(app_reader(request.app.state), settings)

    return get_context


def app_reader(state: Any) -> Reader:
    """The reader of the app whose ``state`` is given: its driver and lean connections
    (``api.app``'s lifespan opens both), its settings' database and timeout."""
    settings: Settings = state.settings
    return Reader(
        state.driver,
        settings.neo4j_database,
        settings.query_timeout_seconds,
        getattr(state, "lean_reads", None),  # set by the lifespan; absent in a bare app
    )
