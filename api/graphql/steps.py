"""How each field of a selection is answered without the executor, decided once per type and
selection: the object type and the names it answers to in a fragment, each response key's
fields merged, and for each key where its value comes from (an attribute of the view, a page
read ahead, an entity at hand, a resolver that reads nothing) and how a leaf is serialised.
``compiled`` shapes views by these steps and ``assembled`` builds getters of rows from them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum, auto
from functools import cache
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
)
from strawberry.types.base import get_object_definition
from strawberry.types.fields.resolver import StrawberryResolver
from strawberry.types.nodes import SelectedField, Selection

from api.graphql.entities import ENTITY_OF, reads_page

Json = Any  # an answer's JSON, as the executor would give it


class NotCompiledError(Exception):
    """The answer is left to the executor."""


def graphql_type_name(value: object) -> str:
    return type_name_of_view(type(value))


def type_name_of_view(view: type) -> str:
    definition = get_object_definition(view)
    if definition is None:
        raise NotCompiledError
    return definition.name


@dataclass(frozen=True, eq=False)  # one per type (``kind_of``): hashed as itself, not its fields
class Kind:
    """An object type: its GraphQL fields and the names it answers to in a fragment."""

    type: GraphQLObjectType
    names: frozenset[str]


@cache
def kind_of(schema: GraphQLSchema, name: str) -> Kind:
    found = schema.get_type(name)
    if not isinstance(found, GraphQLObjectType):
        raise NotCompiledError
    unions = (
        t.name
        for t in schema.type_map.values()
        if isinstance(t, GraphQLUnionType) and found in t.types
    )
    names = frozenset({name, *(i.name for i in found.interfaces), *unions})
    return Kind(found, names)


@dataclass(frozen=True)
class ViewField:
    """A field of an object type: its GraphQL type, and its attribute or resolver."""

    type: GraphQLOutputType
    attribute: str
    resolver: StrawberryResolver[Any] | None


@cache
def view_field(kind: Kind, name: str) -> ViewField:
    field = kind.type.fields.get(name)
    if field is None:
        raise NotCompiledError  # introspection: the executor's
    definition = field.extensions["strawberry-definition"]
    return ViewField(field.type, definition.python_name, definition.base_resolver)


# The fields answered under each response key, with their selections merged (one list, kept:
# the fields below are collected once for it too).
Collected = Mapping[str, tuple[list[SelectedField], Sequence[Selection]]]


class How(Enum):
    """Where a field's value comes from."""

    TYPENAME = auto()
    ATTRIBUTE = auto()  # a plain field of the view
    PAGE = auto()  # a relation page read ahead
    ENTITY = auto()  # an entity at hand (a relation's neighbour, subject or object)
    CALL = auto()  # a resolver that reads nothing: called on the view


@dataclass(frozen=True, eq=False)
class Step:
    """One response key of a type's selection, with how its value is found and completed,
    decided once per plan (the items of a page and the requests of a plan share it)."""

    key: str
    how: How
    type_name: str
    field: ViewField | None  # None: __typename
    selected: SelectedField  # the first field under the key: its arguments
    below: Sequence[Selection]
    leaf: Callable[[Any], Any] | None  # a scalar's or an enum's serializer
    function: Any = None  # CALL: the resolver's function; ENTITY: the id of what it loads


def steps_of(
    schema: GraphQLSchema, type_name: str, selections: Sequence[Selection]
) -> tuple[Step, ...]:
    """One step per response key of what ``selections`` select on the type ``type_name``."""
    kind = kind_of(schema, type_name)
    collected = _merged(_collect_fields(selections, kind.names, {}))
    return tuple(_step(type_name, kind, key, *both) for key, both in collected.items())


def _step(
    type_name: str, kind: Kind, key: str, fields: list[SelectedField], below: Sequence[Selection]
) -> Step:
    if fields[0].name == "__typename":
        return Step(key, How.TYPENAME, type_name, None, fields[0], below, None)
    field = view_field(kind, fields[0].name)
    named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    leaf = named.serialize if isinstance(named, GraphQLScalarType | GraphQLEnumType) else None
    how = how_of(field.resolver)
    function: Any = field.resolver.wrapped_func if field.resolver is not None else None
    if how is How.ENTITY:
        function = ENTITY_OF[function]  # the id of the entity the resolver would load
    return Step(key, how, type_name, field, fields[0], below, leaf, function)


def how_of(resolver: StrawberryResolver[Any] | None) -> How:
    if resolver is None:
        return How.ATTRIBUTE
    function: Any = resolver.wrapped_func
    if reads_page(function):
        return How.PAGE
    if function in ENTITY_OF:
        return How.ENTITY
    if resolver.is_async or resolver.arguments or resolver.info_parameter is not None:
        raise NotCompiledError  # it would read something
    return How.CALL


# The steps per (type, selection), keyed by the selection's id: the selection is kept with
# them, so that no other takes its id.
StepsByType = dict[tuple[str, int], tuple[Sequence[Selection], tuple[Step, ...]]]


def _merged(collected: Mapping[str, list[SelectedField]]) -> Collected:
    """Each response key's fields with their selections merged."""
    return {
        key: (
            fields,
            fields[0].selections if len(fields) == 1 else [s for f in fields for s in f.selections],
        )
        for key, fields in collected.items()
    }


def _collect_fields(
    selections: Sequence[Selection],
    names: frozenset[str],
    into: dict[str, list[SelectedField]],
) -> Mapping[str, list[SelectedField]]:
    """The fields selected on a type answering to ``names``, by response key, in order."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            into.setdefault(selection.alias or selection.name, []).append(selection)
        elif selection.type_condition is None or selection.type_condition in names:
            _collect_fields(selection.selections, names, into)
    return into
