"""Look ahead at a selection: the relation pages an entity query will ask for, read with it.

``entity(id) { ... on Compound { studies(first: 10) { nodes { neighbour { ... on Study {
measures(first: 5) ... } } } } } }`` asks for the entity, a page of its studies and a page of
each study's measures. Planned from the selection before anything is read, all of it comes
back in one statement (``graph.reads.entity_with_pages``) and primes the request's
DataLoaders, so the nested resolvers read nothing. Only the named relation fields (their
types and direction fixed by the view) are planned, ``queries.MAX_READ_AHEAD`` levels deep;
anything else is read by the DataLoaders as before, a query a level.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from api.graphql.common import window
from api.graphql.entities import VIEWS, related_fields, type_names
from api.graphql.limits import DEFAULT_PAGE_SIZE, PublicError
from graph.reads import MAX_READ_AHEAD, Direction, PagePlan
from ontology.vocab import Category

_TYPE_NAMES = {category: type_names(view) for category, view in VIEWS.items()}
_RELATED = {category: related_fields(view) for category, view in VIEWS.items()}
_ALL = tuple(Category)

Planned = tuple[tuple[str, ...], Direction, int, int, tuple[PagePlan, ...]]


def page_plans(selections: Sequence[Selection], depth: int = 1) -> tuple[PagePlan, ...]:
    """The relation pages an entity's ``selections`` ask for, whatever its category (each
    plan names the categories it is for), with its neighbours' pages below each."""
    wanted: dict[Planned, set[Category]] = {}
    for category in _ALL:
        for field in _fields(selections, _TYPE_NAMES[category]):
            planned = _planned(category, field, depth)
            if planned is not None:
                wanted.setdefault(planned, set()).add(category)
    return tuple(
        PagePlan(frozenset(categories), types, direction, offset, limit, children)
        for (types, direction, offset, limit, children), categories in wanted.items()
    )


def _planned(category: Category, field: SelectedField, depth: int) -> Planned | None:
    fixed = _RELATED[category].get(field.name)
    if fixed is None:
        return None
    paged = _window(field.arguments)
    if paged is None:
        return None
    offset, limit = paged
    children = page_plans(_neighbours(field), depth + 1) if depth < MAX_READ_AHEAD else ()
    return (*fixed, offset, limit, children)


def _window(arguments: dict[str, Any]) -> tuple[int, int] | None:
    """(offset, limit) of a page's arguments (a literal comes as its text, a variable as its
    value; a variable left out takes the default); None when they are not valid: left to
    the field's resolver, which reports it where it belongs."""
    first, after = arguments.get("first"), arguments.get("after")
    try:
        return window(DEFAULT_PAGE_SIZE if first is None else int(first), after)
    except (PublicError, ValueError, TypeError):
        return None


def _neighbours(connection: SelectedField) -> list[Selection]:
    """The selections on the neighbours of a page: ``nodes { neighbour }`` and
    ``edges { node { neighbour } }``."""
    found: list[Selection] = []
    for field in _fields(connection.selections, None):
        relations = field.selections
        if field.name == "edges":
            relations = [s for f in _fields(field.selections, None) for s in f.selections]
        if field.name in ("nodes", "edges"):
            for relation in _fields(relations, None):
                if relation.name == "neighbour":
                    found.extend(relation.selections)
    return found


def _fields(
    selections: Sequence[Selection], names: frozenset[str] | None
) -> Iterator[SelectedField]:
    """The fields selected on a type answering to ``names`` (None: any), fragments flattened."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, InlineFragment | FragmentSpread):
            condition = selection.type_condition
            if names is None or condition is None or condition in names:
                yield from _fields(selection.selections, names)
