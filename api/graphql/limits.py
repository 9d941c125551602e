"""What a GraphQL request may ask for, and how refusals and failures reach the client.

- Depth, token and alias limits are checked before anything runs (strawberry extensions).
- Page sizes, term counts, path lengths and text lengths are checked by the resolvers.
- Every read runs with the server-side timeout of ``Settings.query_timeout_seconds``.
- Expected failures (bad input, a timeout, Neo4j down) become clean errors with a ``code`` in
  ``extensions``; anything else is masked as "Unexpected error." and logged with its traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from functools import partial

from graphql import GraphQLError
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
    max_aliases,
    query_depth_limiter,
)
from strawberry.extensions.query_depth_limiter import IgnoreContext

from graph.errors import GraphUnavailableError
from graph.reads import QueryTimeoutError

MAX_DEPTH = 12
MAX_TOKENS = 4000
MAX_ALIASES = 20
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_TERMS = 6
MAX_TEXT_LENGTH = 200
MAX_PATHS = 50
MAX_VIA = 3
CACHE_SIZE = 256  # parsed and validated documents kept (LRU): repeated queries skip both

BAD_USER_INPUT = "BAD_USER_INPUT"
QUERY_TIMEOUT = "QUERY_TIMEOUT"
GRAPH_UNAVAILABLE = "GRAPH_UNAVAILABLE"
INTERNAL = "INTERNAL_SERVER_ERROR"

logger = logging.getLogger("pharmakg.graphql")


class PublicError(GraphQLError):
    """An error whose message is meant for the client, with a machine-readable code."""

    def __init__(self, message: str, code: str = BAD_USER_INPUT) -> None:
        super().__init__(message, extensions={"code": code})


def check_text(name: str, value: str) -> str:
    text = value.strip()
    if not text:
        raise PublicError(f"{name} must not be empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise PublicError(f"{name} is longer than {MAX_TEXT_LENGTH} characters")
    return text


def check_range(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise PublicError(f"{name} must be between {low} and {high} (got {value})")
    return value


def _translate(error: GraphQLError) -> GraphQLError | None:
    """The client-facing form of an expected error; None for an unexpected one."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return error  # syntax, validation and limit errors, and our PublicErrors
    if isinstance(original, QueryTimeoutError):
        return _located(
            error,
            f"The query took too long and was stopped ({original}). "
            "Ask for fewer or smaller pages.",
            QUERY_TIMEOUT,
        )
    if isinstance(original, GraphUnavailableError):
        return _located(
            error, "The graph database is not available; retry shortly.", GRAPH_UNAVAILABLE
        )
    return None


def _located(error: GraphQLError, message: str, code: str) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": code},
    )


def is_expected(error: GraphQLError) -> bool:
    return _translate(error) is not None


UNEXPECTED = "Unexpected error."  # what strawberry's MaskErrors says, and clients already see


class ErrorPolicy(SchemaExtension):
    """Known failures get a clean message and a code; the rest are masked.

    Through strawberry's public hook: the operation's result is rewritten once it has run.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [public(error) for error in result.errors]


def public(error: GraphQLError) -> GraphQLError:
    """The error a client may see: the known failure's own, else "Unexpected error."."""
    return _translate(error) or _located(error, UNEXPECTED, INTERNAL)


def log_errors(errors: list[GraphQLError]) -> None:
    """Unexpected errors with their traceback; expected ones briefly, for the record."""
    for error in errors:
        if is_expected(error):
            logger.info("GraphQL request refused: %s", error.message)
        else:
            original = error.original_error
            logger.error(
                "GraphQL resolver failed at %s: %r",
                error.path,
                original,
                exc_info=(type(original), original, original.__traceback__)
                if original is not None
                else None,
            )


def _ignore_introspection(context: IgnoreContext) -> bool:
    return context.field_name.startswith("__")


Extension = Callable[[], SchemaExtension]

# The depth and alias rules are built once (strawberry's limiters build a new rule class per
# request), so that a document validated once stays validated in the ValidationCache.
_DEPTH_RULE = query_depth_limiter.create_validator(MAX_DEPTH, _ignore_introspection)
_ALIAS_RULE = max_aliases.create_validator(MAX_ALIASES)


def limit_rules(*, production: bool) -> list[type[ASTValidationRule]]:
    """The validation rules added to GraphQL's own: depth, aliases, and no introspection in
    production (also checked by ``api.graphql.compiled`` before it answers a document)."""
    rules: list[type[ASTValidationRule]] = [_DEPTH_RULE, _ALIAS_RULE]
    if production:
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules


def extensions(*, production: bool) -> list[Extension]:
    """Factories of the schema extensions that enforce the limits (one set per request)."""
    return [
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        partial(ParserCache, maxsize=CACHE_SIZE),
        partial(AddValidationRules, limit_rules(production=production)),
        partial(ValidationCache, maxsize=CACHE_SIZE),
        ErrorPolicy,
    ]
