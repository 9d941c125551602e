"""The GraphQL API: ``graphql_router(settings)`` is mounted at /graphql by ``api.app``.

``GraphQLEndpoint`` is what that route runs (the schema with its limits, timeouts and error
policy, and the per-request context); ``api.app`` keeps it in ``app.state.graphql`` so that
``POST /rdf/graphql`` runs a query in process, exactly as ``POST /graphql`` would.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
import strawberry
from cross_web import HTTPException
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from api.assets import graphiql_page
from api.graphql.context import Context, context_getter
from api.graphql.schema import build_schema
from api.settings import Settings


@dataclass(frozen=True)
class GraphQLEndpoint:
    """The schema and the context getter of ``POST /graphql``."""

    schema: strawberry.Schema
    context: Callable[[Request], Awaitable[Context]]

    async def execute(
        self,
        request: Request,
        query: str,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
    ) -> ExecutionResult:
        """Run ``query`` as ``POST /graphql`` runs it (same schema, context, operation types),
        without an HTTP round trip. Raises strawberry's errors for a request it cannot run."""
        return await self.schema.execute(
            query,
            variable_values=variables,
            context_value=await self.context(request),
            operation_name=operation_name,
            allowed_operation_types=OperationType.from_http("POST"),
        )


def graphql_endpoint(settings: Settings) -> GraphQLEndpoint:
    """The /graphql endpoint for ``settings`` (introspection off when ``production`` is set)."""
    return GraphQLEndpoint(build_schema(production=settings.production), context_getter(settings))


class _Router(GraphQLRouter):
    """Refuses bodies that are not a JSON object or list with a 400 (strawberry gave a 500);
    reads and writes JSON with orjson (a fifth of the standard library's time); GraphiQL from
    local assets (``api.assets``), never a CDN."""

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        del request
        return graphiql_page()

    def decode_json(self, data: str | bytes) -> object:
        try:
            decoded = orjson.loads(data)
        except ValueError as error:  # orjson.JSONDecodeError and invalid UTF-8
            raise HTTPException(400, "Unable to parse request body as JSON") from error
        if not isinstance(decoded, dict | list):
            raise HTTPException(400, "The request body must be a JSON object")
        return decoded


def graphql_router(settings: Settings, endpoint: GraphQLEndpoint | None = None) -> APIRouter:
    """The strawberry router serving ``endpoint`` (by default a new one for ``settings``);
    GraphiQL and introspection are off when ``production`` is set."""
    endpoint = endpoint or graphql_endpoint(settings)
    router: APIRouter = _Router(
        endpoint.schema,
        graphql_ide=None if settings.production else "graphiql",
        context_getter=endpoint.context,
    )
    return router


__all__ = ["GraphQLEndpoint", "graphql_endpoint", "graphql_router"]
