"""The building blocks of the views: field descriptions, pages with cursors, identifiers."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, cast

import strawberry
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.limits import MAX_PAGE_SIZE, PublicError
from ontology.identifiers import expand, split_curie

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
GraphInfo = Info[Context, None]


def described(text: str) -> Callable[[F], F]:
    """``@strawberry.field(description=...)``, typed for mypy (strawberry's returns Any)."""

    def wrap(resolver: F) -> F:
        return cast("F", strawberry.field(resolver, description=text))

    return wrap


# -- pagination ------------------------------------------------------------------------------

_CURSOR_PREFIX = "offset:"


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise PublicError(f"invalid cursor {cursor!r}") from error
    number = text.removeprefix(_CURSOR_PREFIX)
    if not text.startswith(_CURSOR_PREFIX) or not number.isdigit():
        raise PublicError(f"invalid cursor {cursor!r}")
    return int(number)


def window(first: int, after: str | None) -> tuple[int, int]:
    """(offset, limit) for ``first`` items after ``after``; the page size is capped."""
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise PublicError(f"first must be between 0 and {MAX_PAGE_SIZE} (got {first})")
    return (decode_cursor(after) + 1 if after else 0), first


@strawberry.type(description="Where a page sits in its list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="An item of a page, with its cursor.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list: its items, the total and cursors.")
class Connection(Generic[T]):
    total_count: int
    page_info: PageInfo
    edges: list[Edge[T]]
    nodes: list[T] = strawberry.field(description="The items of the page, without cursors.")


def connection(items: Sequence[T], total: int, offset: int) -> Connection[T]:
    edges = [Edge(cursor=encode_cursor(offset + i), node=item) for i, item in enumerate(items)]
    info = PageInfo(
        has_next_page=offset + len(items) < total,
        has_previous_page=offset > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(total_count=total, page_info=info, edges=edges, nodes=list(items))


# -- identifiers -----------------------------------------------------------------------------


@strawberry.type(description="A CURIE with its resolvable IRI.")
class Identifier:
    curie: str
    prefix: str
    local_id: str
    iri: str


def identifier(curie: str) -> Identifier:
    prefix, local = split_curie(curie)
    return Identifier(curie=curie, prefix=prefix, local_id=local, iri=expand(curie))
