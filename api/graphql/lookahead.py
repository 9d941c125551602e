"""Look ahead at a selection: the relation pages an entity query will ask for, read with it.

``entity(id) { ... on Compound { studies(first: 10) { nodes { neighbour { ... on Study {
measures(first: 5) ... } } } } } }`` asks for the entity, a page of its studies and a page of
each study's measures. Planned from the selection before anything is read, all of it comes
back in one statement (``graph.reads.entity_with_pages``) and primes the request's
DataLoaders, so the nested resolvers read nothing. The named relation fields (their types and
direction fixed by the view) and ``relations(predicates, direction)`` (its types and
direction read from its arguments, literals or variables) are planned,
``queries.MAX_READ_AHEAD`` levels deep; anything else, or arguments that do not parse, is
read by the DataLoaders as before, a query a level (the resolver then reports what is wrong).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from api.graphql.common import window
from api.graphql.entities import VIEWS, rel_types, related_fields, type_names
from api.graphql.enums import RelationDirection
from api.graphql.limits import DEFAULT_PAGE_SIZE, PublicError
from graph.reads import MAX_READ_AHEAD, Direction, PagePlan
from ontology.vocab import Category, Predicate

_TYPE_NAMES = {category: type_names(view) for category, view in VIEWS.items()}
_RELATED = {category: related_fields(view) for category, view in VIEWS.items()}
_ALL = tuple(Category)

E = TypeVar("E", Predicate, RelationDirection)
PageKey = tuple[tuple[str, ...] | None, Direction, int, int]
Planned = tuple[tuple[str, ...] | None, Direction, int, int, tuple[PagePlan, ...]]


def page_plans(selections: Sequence[Selection], depth: int = 1) -> tuple[PagePlan, ...]:
    """The relation pages an entity's ``selections`` ask for, whatever its category (each
    plan names the categories it is for), with its neighbours' pages below each."""
    wanted: dict[Planned, set[Category]] = {}
    for field, categories in _page_fields(selections).values():
        paged = _window(field.arguments)
        if paged is None:
            continue
        asked = _asked(field.arguments) if field.name == "relations" else None
        below: tuple[PagePlan, ...] | None = None  # the neighbours' pages, planned once
        for category in categories:
            fixed = asked if field.name == "relations" else _RELATED[category].get(field.name)
            if fixed is None:
                continue
            if below is None:
                below = page_plans(_neighbours(field), depth + 1) if depth < MAX_READ_AHEAD else ()
            wanted.setdefault((*fixed, *paged, below), set()).add(category)
    return tuple(
        PagePlan(frozenset(categories), types, direction, offset, limit, children)
        for (types, direction, offset, limit, children), categories in wanted.items()
    )


def _page_fields(
    selections: Sequence[Selection],
) -> dict[int, tuple[SelectedField, list[Category]]]:
    """The fields that may be relation pages, each with the categories it is selected on."""
    found: dict[int, tuple[SelectedField, list[Category]]] = {}
    for category in _ALL:
        for field in _fields(selections, _TYPE_NAMES[category]):
            if field.name == "relations" or field.name in _RELATED[category]:
                found.setdefault(id(field), (field, []))[1].append(category)
    return found


def page_key(category: Category, field: SelectedField) -> PageKey | None:
    """The relationship types, direction, offset and limit of a relation page field selected
    on an entity of ``category``, as its resolver keys the page; None for any other field."""
    fixed: tuple[tuple[str, ...] | None, Direction] | None = _RELATED[category].get(field.name)
    if field.name == "relations":
        fixed = _asked(field.arguments)
    if fixed is None:
        return None
    paged = _window(field.arguments)
    if paged is None:
        return None
    return (*fixed, *paged)


def _window(arguments: dict[str, Any]) -> tuple[int, int] | None:
    """(offset, limit) of a page's arguments (a literal comes as its text, a variable as its
    value; a variable left out takes the default); None when they are not valid: left to
    the field's resolver, which reports it where it belongs."""
    first, after = arguments.get("first"), arguments.get("after")
    try:
        return window(DEFAULT_PAGE_SIZE if first is None else int(first), after)
    except (PublicError, ValueError, TypeError):
        return None


def _asked(arguments: dict[str, Any]) -> tuple[tuple[str, ...] | None, Direction] | None:
    """The types and direction ``relations(predicates, direction)`` reads, keyed as its
    resolver keys them (``entities.relation_page``); None when the arguments do not parse.
    A literal comes as the enum's GraphQL name, a variable as its value."""
    predicates, direction = arguments.get("predicates"), arguments.get("direction")
    try:
        if isinstance(predicates, str):  # a single value where a list is expected
            predicates = [predicates]
        chosen = [_member(Predicate, p) for p in predicates or ()]
        way = RelationDirection.BOTH if direction is None else _member(RelationDirection, direction)
    except (KeyError, ValueError, TypeError):
        return None
    return (rel_types(chosen) if chosen else None), way.value


def _member(enum: type[E], value: Any) -> E:
    """An enum member by its GraphQL name (a literal) or its value (a variable)."""
    if isinstance(value, enum):
        return value
    if not isinstance(value, str):
        raise TypeError(value)
    return enum.__members__[value] if value in enum.__members__ else enum(value)


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


# What a connecting study shows without its links: everything else (paths, null findings)
# is drawn from the links and the ways up.
_WITHOUT_LINKS = frozenset({"study", "grade", "__typename"})


def shows_links(selections: Sequence[Selection]) -> bool:
    """Whether a ``studiesConnecting`` selection shows anything of its studies drawn from
    their links (``paths``, ``nullFindings``): anything but ``study`` and ``grade``."""
    for studies in _fields(selections, None):
        if studies.name != "studies":
            continue
        for item in _items(studies):
            if any(f.name not in _WITHOUT_LINKS for f in _fields(item, None)):
                return True
    return False


def _items(connection: SelectedField) -> Iterator[list[Selection]]:
    """The selections on the items of a page: ``nodes { ... }``, ``edges { node { ... } }``."""
    for field in _fields(connection.selections, None):
        if field.name == "nodes":
            yield field.selections
        elif field.name == "edges":
            yield from (f.selections for f in _fields(field.selections, None) if f.name == "node")


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
