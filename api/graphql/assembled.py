"""Answers assembled straight from the rows of one read, without records or views (issue #18).

When everything a plan selects is a value the rows hold as it is served, ``compiled`` asks an
``Assembler`` for the answer; anything else raises ``NotAssembledError`` and the plan's
answers are shaped from records instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from graphql import GraphQLNonNull, GraphQLSchema, get_named_type
from strawberry.types.nodes import Selection

from api.graphql.entities import VIEWS, is_neighbour
from api.graphql.enums import RelationDirection
from api.graphql.lookahead import page_key
from api.graphql.steps import (
    How,
    Json,
    Step,
    steps_of,
    type_name_of_view,
)
from graph import reads
from graph.reads import PagePlan, RelationKey, Row
from graph.repository import STORED_AS_IS, stored_category, stored_predicate
from ontology.vocab import Category


class NotAssembledError(Exception):
    """A value the rows do not hold as it is served: the answer is shaped from records."""


Getter = Callable[[Any, Mapping[RelationKey, Row]], Json]
# The getters of each (what, selection), keyed by the selection's id (kept with them, so that
# no other takes its id); what: an entity's category, or a relation's or a page's type name.
GettersBy = dict[tuple[object, int], tuple[Sequence[Selection], tuple[tuple[str, Getter], ...]]]


class Assembler:
    """The answers of one plan assembled straight from the rows of its read, when everything
    it selects is a value the rows hold as it is served: an entity's stored fields
    (``STORED_AS_IS``), a page's total and relations, a relation's id, predicate, direction and
    neighbour, ``__typename``. No record or view is built, and each (type, selection) is
    decided once: on the 1M graph the typical entity's answer takes 0.12-0.20 ms where the
    shaper took 0.69-0.90 (issue #18). Unlike a record, a row is not converted whole: a stored
    value this version cannot read (written by a newer one) fails only the answers that
    select it, where the executor fails every answer about that entity.

    Anything else raises ``NotAssembledError`` as it is met, and the plan is declined for
    good: its answers are shaped from records, as before. ``test_compiled.py`` asks every
    question of both kinds and compares the bytes with the executor's."""

    def __init__(self, schema: GraphQLSchema, plans: Sequence[PagePlan], listed: str = "") -> None:
        self.schema, self.plans, self.listed_type = schema, plans, listed
        self.getters: GettersBy = {}
        self.declined = False

    def answer(self, row: Row, selections: Sequence[Selection]) -> Json:
        pages = reads.raw_pages(row, self.plans)
        return self._entity((stored_category(row["label"]), row["props"]), pages, selections)

    def listed(self, row: Row, selections: Sequence[Selection]) -> Json:
        """A list's page (``total``, and ``page``: its items' stored properties) as its
        connection type (``listed_type``)."""
        return {key: get(row, {}) for key, get in self.list_getters(selections)}

    def list_getters(self, selections: Sequence[Selection]) -> tuple[tuple[str, Getter], ...]:
        return self._getters(self.listed_type, selections, self._list_getter)

    def _entity(
        self,
        entity: tuple[Category, Row],
        pages: Mapping[RelationKey, Row],
        below: Sequence[Selection],
    ) -> Json:
        getters = self._getters(entity[0], below, self._entity_getter)
        return {key: get(entity, pages) for key, get in getters}

    def _getters(
        self,
        what: Category | str,
        below: Sequence[Selection],
        getter: Callable[[Any, Step], Getter],
    ) -> tuple[tuple[str, Getter], ...]:
        key = (what, id(below))
        found = self.getters.get(key)
        if found is None:
            type_name = _view_name(what) if isinstance(what, Category) else what
            steps = steps_of(self.schema, type_name, below)
            found = self.getters[key] = (below, tuple((s.key, getter(what, s)) for s in steps))
        return found[1]

    def _entity_getter(self, category: Category, step: Step) -> Getter:
        if step.field is None:
            return _constant(step.type_name)
        if step.how is How.ATTRIBUTE and step.field.attribute in STORED_AS_IS:
            return _stored_value(step.field.attribute, step)
        if step.how is not How.PAGE or not self.plans:  # a list's items: no page is read
            raise NotAssembledError
        page = page_key(category, step.selected)
        if page is None:
            raise NotAssembledError
        types, direction, offset, limit = page
        below, kind = step.below, _named(step)

        def connection(entity: tuple[Category, Row], pages: Mapping[RelationKey, Row]) -> Json:
            origin = entity[1]["id"]
            found = pages.get(RelationKey(origin, types, direction, offset, limit))
            if found is None:
                raise NotAssembledError  # deeper than the statement reads
            getters = self._getters(kind, below, self._page_getter)
            return {key: get((found, origin), pages) for key, get in getters}

        return connection

    def _page_getter(self, _what: str, step: Step) -> Getter:
        name = step.selected.name
        if step.field is None:
            return _constant(step.type_name)
        if step.how is not How.ATTRIBUTE:
            raise NotAssembledError
        if name == "totalCount":
            return _leaf(step, lambda page: page[0]["total"])
        if name != "nodes":
            raise NotAssembledError
        below, kind = step.below, _named(step)

        def nodes(page: tuple[Row, str], pages: Mapping[RelationKey, Row]) -> Json:
            getters = self._getters(kind, below, self._relation_getter)
            origin = page[1]
            return [
                {key: get((item["edge"], origin), pages) for key, get in getters}
                for item in page[0]["items"]
            ]

        return nodes

    def _list_getter(self, _what: str, step: Step) -> Getter:
        if step.field is None:
            return _constant(step.type_name)
        if step.how is not How.ATTRIBUTE:
            raise NotAssembledError
        if step.selected.name == "totalCount":
            return _leaf(step, lambda row: row["total"])
        if step.selected.name != "nodes":
            raise NotAssembledError
        category = _view_category(_named(step))
        # Decided now: an item's category is the list's, known before any row.
        getters = self._getters(category, step.below, self._entity_getter)

        def nodes(row: Row, pages: Mapping[RelationKey, Row]) -> Json:
            return [
                {key: get((category, item), pages) for key, get in getters} for item in row["page"]
            ]

        return nodes

    def _relation_getter(self, _what: str, step: Step) -> Getter:
        if step.field is None:
            return _constant(step.type_name)
        name = step.selected.name
        if step.how is How.ENTITY:
            return self._neighbour_getter(step)
        if step.how is not How.ATTRIBUTE:
            raise NotAssembledError
        if name == "id":
            return _leaf(step, lambda relation: relation[0]["props"].get("id") or None)
        if name == "predicate":
            return _leaf(step, lambda relation: stored_predicate(relation[0]["type"]))
        if name == "direction":
            return _leaf(step, _direction)
        raise NotAssembledError

    def _neighbour_getter(self, step: Step) -> Getter:
        resolver = step.field.resolver if step.field else None
        function: Any = resolver.wrapped_func if resolver is not None else None
        if function is None or not is_neighbour(function):
            raise NotAssembledError  # a subject or an object: not read with the page
        below = step.below

        def neighbour(relation: tuple[Row, str], pages: Mapping[RelationKey, Row]) -> Json:
            edge = relation[0]
            return self._entity((stored_category(edge["label"]), edge["neighbour"]), pages, below)

        return neighbour


def _named(step: Step) -> str:
    """The name of the object type a step's field gives (a page's, a relation's)."""
    return get_named_type(step.field.type).name if step.field else step.type_name


def _constant(value: str) -> Getter:
    return lambda _value, _pages: value


def _stored_value(name: str, step: Step) -> Getter:
    return _leaf(step, lambda entity: entity[1].get(name))


def _leaf(step: Step, raw_of: Callable[[Any], Any]) -> Getter:
    """The value ``raw_of`` finds, serialised as the field's type serialises it; a null where
    the type forbids one, or a value it would not serialise, is not assembled."""
    serialise = step.leaf
    required = isinstance(step.field.type, GraphQLNonNull) if step.field else False
    if serialise is None:
        raise NotAssembledError

    def value(found: Any, _pages: Mapping[RelationKey, Row]) -> Json:
        raw = raw_of(found)
        if raw is None:
            if required:
                raise NotAssembledError
            return None
        serialised = serialise(raw)
        if serialised is None:
            raise NotAssembledError
        return serialised

    return value


@cache
def _view_name(category: Category) -> str:
    return type_name_of_view(VIEWS[category])


@cache
def _view_category(type_name: str) -> Category:
    """The category whose view is the object type ``type_name``."""
    [category] = [c for c in VIEWS if _view_name(c) == type_name]
    return category


def _direction(relation: tuple[Row, str]) -> RelationDirection:
    edge, origin = relation
    return RelationDirection.IN if origin == edge["object"] else RelationDirection.OUT
