"""The per-request context: the reader (driver, database, timeout) and fresh DataLoaders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from neo4j import AsyncDriver
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
        driver: AsyncDriver = request.app.state.driver
        reader = Reader(driver, settings.neo4j_database, settings.query_timeout_seconds)
        return Context(reader, settings)

    return get_context
