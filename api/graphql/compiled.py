"""Answers shaped straight from one read, without the GraphQL executor (issue #18).

``entity(id) { ... relations(...) { nodes { neighbour { ... } } } }`` is read in one statement
(``lookahead``), and graphql-core's executor then spends more CPU walking the answer than
Neo4j spends finding it. A document of that shape (one root field, no directives) is parsed
and validated once, with the executor's own rules and limits, and answered by shaping the
views the executor would walk: the same fields in the same order, each value serialised by its
GraphQL type, each resolver that reads nothing called as the executor would call it.

``entity`` is read here with the pages its selection asks for. When everything its selection
asks for is a value the read's rows hold as it is served (stored fields, totals, a relation's
id, predicate, direction and neighbour), the answer is assembled from the rows without
records or views (``_Assembler``); otherwise it is shaped from records. ``studies`` and
``studiesConnecting`` are answered by their own resolvers (one read each), called with the
arguments the executor would give them; what they return is shaped the same way, the entities
they primed standing in for the node loader. The studies list's row is assembled instead, as
an entity's, when everything it selects is stored.

Anything else is left to the executor, which answers it exactly as before: another root
field, directives, variables or arguments that do not coerce, an entity not found or
ambiguous, a public error, a field that would read more than the statement brought (a deeper
page, a tool, a study's relations). A failed read is answered here as the executor answers it
(logged, masked), not read again. This is a shortcut, never a second meaning:
``tests/integration/graphql/test_compiled.py`` asks every question both ways and compares the
bytes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum, auto
from functools import cache
from types import SimpleNamespace
from typing import Any

import orjson
import strawberry
from graphql import (
    BREAK,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    Visitor,
    get_argument_values,
    get_named_type,
    get_operation_ast,
    get_variable_values,
    is_leaf_type,
    parse,
    specified_rules,
    visit,
)
from graphql.execution.values import VariableValues
from graphql.language import Node as SyntaxNode
from strawberry.schema.schema import validate_document
from strawberry.types.arguments import convert_arguments
from strawberry.types.base import get_object_definition
from strawberry.types.fields.resolver import StrawberryResolver
from strawberry.types.nodes import SelectedField, Selection, convert_selections
from strawberry.types.nodes import convert_arguments as convert_arguments_of

from api.graphql import resolvers
from api.graphql.cache import (
    ASGIApp,
    Receive,
    Scope,
    Send,
    graphql_request,
    read_body,
    replay,
)
from api.graphql.context import Context, app_reader
from api.graphql.entities import (
    ENTITY_OF,
    VIEWS,
    entity_view,
    is_neighbour,
    reads_page,
    relation_connection,
)
from api.graphql.enums import RelationDirection
from api.graphql.limits import (
    CACHE_SIZE,
    MAX_TOKENS,
    PublicError,
    check_text,
    limit_rules,
    log_errors,
    public,
)
from api.graphql.lookahead import page_key, page_plans
from graph import reads
from graph.errors import GraphError
from graph.reads import MAX_READ_AHEAD, Page, PagePlan, Reader, RelationKey, Row, TermSpec
from graph.repository import STORED_AS_IS, stored_category, stored_predicate
from ontology.records import Edge, Node
from ontology.vocab import Category

ENTITY_FIELD = "entity"
# The root fields answered by calling their resolver: each reads once, and its nested fields
# are answered from what it returns (no page is read ahead for them).
RESOLVED_FIELDS = frozenset({"studies", "studiesConnecting"})
STUDIES_FIELD = "studies"  # its read's rows may be assembled, as an entity's
ASKED_KEPT = 64  # what a plan was asked, per variables, at most
Json = Any


class NotCompiledError(Exception):
    """The answer is left to the executor."""


@dataclass(frozen=True)
class Asked:
    """What one request asks of a plan: its root field as strawberry's ``convert_selections``
    gives it, and the root's arguments as the resolver is given them."""

    root: SelectedField
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """A document this module answers: its operation, fragments and its one root field.

    When nothing below the root reads a variable (the usual document: the variables are the
    root's arguments), what the root selects is converted once, with the relation pages it
    asks for and the shaper's steps per type: a request then converts only the root's
    arguments, and only the first time its variables are sent (``asked``)."""

    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    root: FieldNode
    below: list[Selection] | None = None
    pages: tuple[PagePlan, ...] | None = None
    collected: StepsByType = field(default_factory=dict)
    # An entity's, or the studies list's when all it selects is stored: when the selections
    # are converted once.
    assembler: _Assembler | None = None
    # What requests asked, by their variables (as sent).
    asked: OrderedDict[bytes, Asked] = field(default_factory=OrderedDict)

    def selected(self, scope: SimpleNamespace) -> SelectedField:
        """The root field as strawberry's ``convert_selections`` gives it."""
        if self.below is None:
            [root] = convert_selections(scope, [self.root])  # type: ignore[arg-type]
            return root  # type: ignore[return-value]
        return SelectedField(
            name=self.root.name.value,
            directives={},  # a document with directives is the executor's
            arguments=convert_arguments_of(scope, self.root.arguments),  # type: ignore[arg-type]
            selections=self.below,
            alias=self.root.alias.value if self.root.alias else None,
        )

    def steps_by_type(self) -> StepsByType:
        """The shaper's steps per type: the plan's own when its selections are, else new."""
        return self.collected if self.below is not None else {}


class CompiledAnswers:
    """The documents of ``schema`` answered without the executor, planned once each."""

    def __init__(self, schema: strawberry.Schema, *, production: bool) -> None:
        self.strawberry = schema
        self.schema: GraphQLSchema = schema._schema
        self.rules = (*specified_rules, *limit_rules(production=production))
        self._plans: OrderedDict[tuple[str, str | None], Plan | None] = OrderedDict()

    def plan(self, query: str, operation_name: str | None) -> Plan | None:
        """The plan of a document (None: the executor answers it), kept for the next time."""
        key = (query, operation_name)
        if key in self._plans:
            self._plans.move_to_end(key)
            return self._plans[key]
        plan = self._planned(query, operation_name)
        self._plans[key] = plan
        if len(self._plans) > CACHE_SIZE:
            self._plans.popitem(last=False)
        return plan

    def _planned(self, query: str, operation_name: str | None) -> Plan | None:
        document = self._valid(query)
        if document is None:
            return None
        operation = get_operation_ast(document, operation_name)
        root = _root_field(operation)
        if operation is None or root is None:
            return None
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        output = self._root(root).type
        level = 0 if root.name.value == ENTITY_FIELD else _NO_PAGES
        if not _Answerable(self.schema, fragments).check(output, root.selection_set, level):
            return None
        return _with_constant_selections(self.schema, Plan(operation, fragments, root))

    def _root(self, root: FieldNode) -> GraphQLField:
        field: GraphQLField = self.schema.query_type.fields[root.name.value]  # type: ignore[union-attr]
        return field

    def _valid(self, query: str) -> DocumentNode | None:
        """The document, if the executor would run it (same rules and limits) and it has no
        directives (they depend on the variables)."""
        try:
            document = parse(query, max_tokens=MAX_TOKENS)
        except GraphQLError:
            return None
        if validate_document(self.schema, document, self.rules) or _holds("directive", document):
            return None
        return document

    async def answer(
        self, context: Context, query: str, variables: Json, operation_name: str | None
    ) -> Json | None:
        """The response body ``{"data": ...}`` the executor would give, or None to ask it."""
        plan = self.plan(query, operation_name)
        if plan is None or not isinstance(variables, dict | None):
            return None
        key = plan.root.alias.value if plan.root.alias else plan.root.name.value
        try:
            asked = self._asked(plan, variables)
            if asked is None:  # the executor reports what is wrong with the variables
                return None
            if asked.root.name == ENTITY_FIELD:
                value = await self._entity(context.reader, asked.root, plan)
            else:
                value = await self._resolved(context, plan, asked)
        except GraphError as error:  # answered here: the executor would read again, and fail
            return _failed(error, plan.root, key)
        except Exception:  # not compiled, a public error, a bug: the executor answers (and logs)
            return None
        return {"data": {key: value}}

    async def _entity(self, reader: Reader, root: SelectedField, plan: Plan) -> Json:
        text = check_text("id", str(root.arguments.get("id")))
        spec = TermSpec(text, by_id=True, by_name=False)
        pages = plan.pages if plan.pages is not None else page_plans(root.selections)
        rows = await reads.entity_rows(reader, spec, pages)
        if len(rows) != 1:
            raise NotCompiledError  # not found or ambiguous: the executor's answer says which
        assembled = _assembled(plan, lambda assembler: assembler.answer(rows[0], root.selections))
        if assembled is not None:
            return assembled
        [entry] = reads.found_with_pages(rows, pages)
        nodes = {entry.node.id: entry.node}
        for page in entry.pages.values():
            nodes.update((n.id, n) for n in page.neighbours)
        view = entity_view(entry.node)
        shaper = _Shaper(self.schema, entry.pages, nodes.get, plan.steps_by_type())
        answer = shaper.shape(_type_name(view), view, root.selections)
        if shaper.missing:
            raise NotCompiledError  # not read with the entity
        return answer

    def _asked(self, plan: Plan, variables: Json) -> Asked | None:
        """What a request with ``variables`` asks of ``plan``, worked out once per plan and
        variables (as sent): coercing and converting them cost 0.05-0.15 ms a request.
        Resolvers read their arguments, never change them. None: the variables are wrong."""
        key = orjson.dumps(variables)
        kept = plan.asked
        asked = kept.get(key)
        if asked is not None:
            kept.move_to_end(key)
            return asked
        coerced = get_variable_values(
            self.schema, plan.operation.variable_definitions or (), variables or {}
        )
        if isinstance(coerced, list):
            return None
        root = plan.selected(
            SimpleNamespace(fragments=plan.fragments, variable_values=coerced.coerced)
        )
        asked = kept[key] = Asked(root, self._arguments(plan, coerced))
        if len(kept) > ASKED_KEPT:
            kept.popitem(last=False)
        return asked

    def _arguments(self, plan: Plan, variables: VariableValues) -> dict[str, Any]:
        """The root's arguments as the executor gives them to its resolver (none for the
        entity field: its plan reads its id)."""
        if plan.root.name.value == ENTITY_FIELD:
            return {}
        field = self._root(plan.root)
        return convert_arguments(
            get_argument_values(field, plan.root, variables),
            field.extensions["strawberry-definition"].arguments,
            scalar_registry=self.strawberry.schema_converter.scalar_registry,
            config=self.strawberry.config,
        )

    async def _resolved(self, context: Context, plan: Plan, asked: Asked) -> Json:
        """A root field answered by its own resolver, called as the executor calls it (the
        studies list: its rows assembled when the plan's are)."""
        field = self._root(plan.root)
        root, arguments = asked.root, asked.arguments
        info = SimpleNamespace(context=context, selected_fields=[root])
        if root.name == STUDIES_FIELD and plan.assembler is not None:
            listed = await resolvers.listed_studies(context.reader, **arguments)
            assembled = _assembled(
                plan, lambda assembler: assembler.listed(listed.row, root.selections)
            )
            if assembled is not None:
                return assembled
            value: object = resolvers.studies_connection(info, listed)  # type: ignore[arg-type]
        else:
            resolver = field.extensions["strawberry-definition"].base_resolver
            value = await resolver.wrapped_func(info=info, **arguments)
        shaper = _Shaper(self.schema, {}, _primed(context), plan.steps_by_type())
        return await _shaped_with_loads(shaper, context, field.type, value, root.selections)


def _with_constant_selections(schema: GraphQLSchema, plan: Plan) -> Plan:
    """``plan`` with what its root selects converted once, when no variable is read below
    the root (else as it is)."""
    below = plan.root.selection_set
    if below is None or _holds("variable", below, *plan.fragments.values()):
        return plan
    constant = SimpleNamespace(fragments=plan.fragments, variable_values={})
    selections = convert_selections(constant, below.selections)  # type: ignore[arg-type]
    try:
        pages = page_plans(selections) if plan.root.name.value == ENTITY_FIELD else None
    except PublicError:
        return plan  # a page argument out of bounds: answered per request, which says so
    assembler = _assembler(schema, plan.root, selections, pages)
    return replace(plan, below=selections, pages=pages, assembler=assembler)


def _assembler(
    schema: GraphQLSchema,
    root: FieldNode,
    selections: Sequence[Selection],
    pages: tuple[PagePlan, ...] | None,
) -> _Assembler | None:
    """An entity's assembler (what declines it is met in its rows), or the studies list's
    when everything it selects is stored as it is served (decided here, before any read)."""
    if pages is not None:
        return _Assembler(schema, pages)
    if root.name.value != STUDIES_FIELD:
        return None
    field: GraphQLField = schema.query_type.fields[STUDIES_FIELD]  # type: ignore[union-attr]
    assembler = _Assembler(schema, (), listed=get_named_type(field.type).name)
    try:
        assembler.list_getters(selections)
    except _NotAssembledError:
        return None
    return assembler


def _assembled(plan: Plan, assemble: Callable[[_Assembler], Json]) -> Json | None:
    """The answer assembled from the read's rows; None when the plan's is shaped from
    records (then for good: what declines it is met again)."""
    assembler = plan.assembler
    if assembler is None or assembler.declined:
        return None
    try:
        return assemble(assembler)
    except _NotAssembledError:
        assembler.declined = True
        return None


def _failed(error: GraphError, root: FieldNode, key: str) -> Json:
    """The executor's answer when the root field's read fails: logged, masked, the root
    (non-null) null."""
    located = GraphQLError(str(error), nodes=[root], path=[key], original_error=error)
    log_errors([located])
    return {"data": None, "errors": [public(located).formatted]}


def _root_field(operation: OperationDefinitionNode | None) -> FieldNode | None:
    """The root field of a query that asks for one field answered here and nothing else."""
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    selections = operation.selection_set.selections
    if len(selections) != 1 or not isinstance(selections[0], FieldNode):
        return None
    name = selections[0].name.value
    return selections[0] if name == ENTITY_FIELD or name in RESOLVED_FIELDS else None


async def _shaped_with_loads(
    shaper: _Shaper,
    context: Context,
    kind: GraphQLOutputType,
    value: object,
    selections: Sequence[Selection],
) -> Json:
    """``value`` shaped; the entities it points at that were not primed are loaded as the
    executor loads them (one batch) and the answer shaped again."""
    answer = shaper.complete(kind, value, selections)
    if not shaper.missing:
        return answer
    try:
        await context.loaders.nodes.load_many(sorted(shaper.missing))
    except GraphError as error:  # the executor fails the field below the root, not the root
        raise NotCompiledError from error
    shaper.missing.clear()
    answer = shaper.complete(kind, value, selections)
    if shaper.missing:
        raise NotCompiledError  # referenced but not in the graph: the executor's error
    return answer


def _primed(context: Context) -> Callable[[str], Node | None]:
    """The entities a resolver primed the request's node loader with, by id."""
    cached = context.loaders.nodes.cache_map

    def node(node_id: str) -> Node | None:
        future = cached.get(node_id)
        if future is None or not future.done() or future.exception() is not None:
            return None
        return future.result()

    return node


class _Finder(Visitor):
    """Stops at the first node of ``kind`` (``directive``, ``variable``)."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind, self.found = kind, False

    def enter(self, node: SyntaxNode, *_: object) -> object:
        if node.kind != self.kind:
            return None
        self.found = True
        return BREAK


def _holds(kind: str, *nodes: SyntaxNode) -> bool:
    """Whether any of ``nodes`` holds a node of ``kind``."""
    finder = _Finder(kind)
    for node in nodes:
        visit(node, finder)
    return finder.found


def _type_name(value: object) -> str:
    return _type_name_of(type(value))


def _type_name_of(view: type) -> str:
    definition = get_object_definition(view)
    if definition is None:
        raise NotCompiledError
    return definition.name


@dataclass(frozen=True, eq=False)  # one per type (``_kind``): hashed as itself, not its fields
class _Kind:
    """An object type: its GraphQL fields and the names it answers to in a fragment."""

    type: GraphQLObjectType
    names: frozenset[str]


@cache
def _kind(schema: GraphQLSchema, name: str) -> _Kind:
    found = schema.get_type(name)
    if not isinstance(found, GraphQLObjectType):
        raise NotCompiledError
    unions = (
        t.name
        for t in schema.type_map.values()
        if isinstance(t, GraphQLUnionType) and found in t.types
    )
    names = frozenset({name, *(i.name for i in found.interfaces), *unions})
    return _Kind(found, names)


@dataclass(frozen=True)
class _Field:
    """A field of an object type: its GraphQL type, and its attribute or resolver."""

    type: GraphQLOutputType
    attribute: str
    resolver: StrawberryResolver[Any] | None


@cache
def _field(kind: _Kind, name: str) -> _Field:
    field = kind.type.fields.get(name)
    if field is None:
        raise NotCompiledError  # introspection: the executor's
    definition = field.extensions["strawberry-definition"]
    return _Field(field.type, definition.python_name, definition.base_resolver)


# The fields answered under each response key, with their selections merged (one list, kept:
# the fields below are collected once for it too).
Collected = Mapping[str, tuple[list[SelectedField], Sequence[Selection]]]


class _How(Enum):
    """Where a field's value comes from."""

    TYPENAME = auto()
    ATTRIBUTE = auto()  # a plain field of the view
    PAGE = auto()  # a relation page read ahead
    ENTITY = auto()  # an entity at hand (a relation's neighbour, subject or object)
    CALL = auto()  # a resolver that reads nothing: called on the view


@dataclass(frozen=True, eq=False)
class _Step:
    """One response key of a type's selection, with how its value is found and completed,
    decided once per plan (the items of a page and the requests of a plan share it)."""

    key: str
    how: _How
    type_name: str
    field: _Field | None  # None: __typename
    selected: SelectedField  # the first field under the key: its arguments
    below: Sequence[Selection]
    leaf: Callable[[Any], Any] | None  # a scalar's or an enum's serializer
    function: Any = None  # CALL: the resolver's function; ENTITY: the id of what it loads


def _steps(type_name: str, kind: _Kind, collected: Collected) -> tuple[_Step, ...]:
    return tuple(_step(type_name, kind, key, *both) for key, both in collected.items())


def _step(
    type_name: str, kind: _Kind, key: str, fields: list[SelectedField], below: Sequence[Selection]
) -> _Step:
    if fields[0].name == "__typename":
        return _Step(key, _How.TYPENAME, type_name, None, fields[0], below, None)
    field = _field(kind, fields[0].name)
    named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    leaf = named.serialize if isinstance(named, GraphQLScalarType | GraphQLEnumType) else None
    how = _how(field.resolver)
    function: Any = field.resolver.wrapped_func if field.resolver is not None else None
    if how is _How.ENTITY:
        function = ENTITY_OF[function]  # the id of the entity the resolver would load
    return _Step(key, how, type_name, field, fields[0], below, leaf, function)


def _how(resolver: StrawberryResolver[Any] | None) -> _How:
    if resolver is None:
        return _How.ATTRIBUTE
    function: Any = resolver.wrapped_func
    if reads_page(function):
        return _How.PAGE
    if function in ENTITY_OF:
        return _How.ENTITY
    if resolver.is_async or resolver.arguments or resolver.info_parameter is not None:
        raise NotCompiledError  # it would read something
    return _How.CALL


# The steps per (type, selection), keyed by the selection's id: the selection is kept with
# them, so that no other takes its id.
StepsByType = dict[tuple[str, int], tuple[Sequence[Selection], tuple[_Step, ...]]]


_ABSENT = object()  # an entity not at hand: the pass that met it is shaped again


class _Shaper:
    """The answer's JSON from views, the relation pages read with them and the entities at
    hand (``node``: None for one that was not read; its id is kept in ``missing``)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        pages: Mapping[RelationKey, Page[Edge]],
        node: Callable[[str], Node | None],
        collected: StepsByType,
    ) -> None:
        self.schema, self.pages, self.node = schema, pages, node
        self.missing: set[str] = set()
        # The steps of each type in each selection, decided once: a page's items share them
        # (and so do the requests of a plan whose selections are converted once).
        self.collected = collected

    def shape(self, type_name: str, value: object, selections: Sequence[Selection]) -> Json:
        key = (type_name, id(selections))
        found = self.collected.get(key)
        if found is None:
            kind = _kind(self.schema, type_name)
            steps = _steps(type_name, kind, _merged(_collect(selections, kind.names, {})))
            found = self.collected[key] = (selections, steps)
        return {step.key: self._answer(step, value) for step in found[1]}

    def _answer(self, step: _Step, value: Any) -> Json:
        field = step.field
        if field is None:
            return step.type_name
        how = step.how
        if how is _How.ATTRIBUTE:
            raw = getattr(value, field.attribute)
        elif how is _How.PAGE:
            raw = self._page(value, step.selected)
        elif how is _How.ENTITY:
            raw = self._entity(step.function(value))
        else:
            raw = step.function(value)
        if step.leaf is not None and raw is not None:  # the common case, without the walk
            serialised = step.leaf(raw)
            if serialised is None:
                raise NotCompiledError
            return serialised
        return self.complete(field.type, raw, step.below)

    def _entity(self, node_id: str) -> Any:
        node = self.node(node_id)
        if node is None:
            self.missing.add(node_id)
            return _ABSENT
        return entity_view(node)

    def _page(self, value: Any, field: SelectedField) -> Any:
        key = page_key(value.node.category, field)
        if key is None:
            raise NotCompiledError
        types, direction, offset, limit = key
        page = self.pages.get(RelationKey(value.node.id, types, direction, offset, limit))
        if page is None:
            raise NotCompiledError  # deeper than the statement reads
        return relation_connection(page, value.node.id, offset)

    def complete(self, kind: GraphQLOutputType, raw: Any, selections: Sequence[Selection]) -> Json:
        if raw is _ABSENT:
            return None
        if isinstance(kind, GraphQLNonNull):
            if raw is None:
                raise NotCompiledError  # the executor's error
            kind = kind.of_type
        if raw is None:
            return None
        if isinstance(kind, GraphQLList):
            return [self.complete(kind.of_type, item, selections) for item in raw]
        if is_leaf_type(kind):
            serialised = kind.serialize(raw)
            if serialised is None:
                raise NotCompiledError
            return serialised
        name = kind.name if isinstance(kind, GraphQLObjectType) else _type_name(raw)
        return self.shape(name, raw, selections)


class _NotAssembledError(Exception):
    """A value the rows do not hold as it is served: the answer is shaped from records."""


Getter = Callable[[Any, Mapping[RelationKey, Row]], Json]
# The getters of each (what, selection), keyed by the selection's id (kept with them, so that
# no other takes its id); what: an entity's category, or a relation's or a page's type name.
GettersBy = dict[tuple[object, int], tuple[Sequence[Selection], tuple[tuple[str, Getter], ...]]]


class _Assembler:
    """The answers of one plan assembled straight from the rows of its read, when everything
    it selects is a value the rows hold as it is served: an entity's stored fields
    (``STORED_AS_IS``), a page's total and relations, a relation's id, predicate, direction and
    neighbour, ``__typename``. No record or view is built, and each (type, selection) is
    decided once: on the 1M graph the typical entity's answer takes 0.12-0.20 ms where the
    shaper took 0.69-0.90 (issue #18). Unlike a record, a row is not converted whole: a stored
    value this version cannot read (written by a newer one) fails only the answers that
    select it, where the executor fails every answer about that entity.

    Anything else raises ``_NotAssembledError`` as it is met, and the plan is declined for
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
        getter: Callable[[Any, _Step], Getter],
    ) -> tuple[tuple[str, Getter], ...]:
        key = (what, id(below))
        found = self.getters.get(key)
        if found is None:
            type_name = _view_name(what) if isinstance(what, Category) else what
            kind = _kind(self.schema, type_name)
            steps = _steps(type_name, kind, _merged(_collect(below, kind.names, {})))
            found = self.getters[key] = (below, tuple((s.key, getter(what, s)) for s in steps))
        return found[1]

    def _entity_getter(self, category: Category, step: _Step) -> Getter:
        if step.field is None:
            return _constant(step.type_name)
        if step.how is _How.ATTRIBUTE and step.field.attribute in STORED_AS_IS:
            return _stored_value(step.field.attribute, step)
        if step.how is not _How.PAGE or not self.plans:  # a list's items: no page is read
            raise _NotAssembledError
        page = page_key(category, step.selected)
        if page is None:
            raise _NotAssembledError
        types, direction, offset, limit = page
        below, kind = step.below, _named(step)

        def connection(entity: tuple[Category, Row], pages: Mapping[RelationKey, Row]) -> Json:
            origin = entity[1]["id"]
            found = pages.get(RelationKey(origin, types, direction, offset, limit))
            if found is None:
                raise _NotAssembledError  # deeper than the statement reads
            getters = self._getters(kind, below, self._page_getter)
            return {key: get((found, origin), pages) for key, get in getters}

        return connection

    def _page_getter(self, _what: str, step: _Step) -> Getter:
        name = step.selected.name
        if step.field is None:
            return _constant(step.type_name)
        if step.how is not _How.ATTRIBUTE:
            raise _NotAssembledError
        if name == "totalCount":
            return _leaf(step, lambda page: page[0]["total"])
        if name != "nodes":
            raise _NotAssembledError
        below, kind = step.below, _named(step)

        def nodes(page: tuple[Row, str], pages: Mapping[RelationKey, Row]) -> Json:
            getters = self._getters(kind, below, self._relation_getter)
            origin = page[1]
            return [
                {key: get((item["edge"], origin), pages) for key, get in getters}
                for item in page[0]["items"]
            ]

        return nodes

    def _list_getter(self, _what: str, step: _Step) -> Getter:
        if step.field is None:
            return _constant(step.type_name)
        if step.how is not _How.ATTRIBUTE:
            raise _NotAssembledError
        if step.selected.name == "totalCount":
            return _leaf(step, lambda row: row["total"])
        if step.selected.name != "nodes":
            raise _NotAssembledError
        category = _view_category(_named(step))
        # Decided now: an item's category is the list's, known before any row.
        getters = self._getters(category, step.below, self._entity_getter)

        def nodes(row: Row, pages: Mapping[RelationKey, Row]) -> Json:
            return [
                {key: get((category, item), pages) for key, get in getters} for item in row["page"]
            ]

        return nodes

    def _relation_getter(self, _what: str, step: _Step) -> Getter:
        if step.field is None:
            return _constant(step.type_name)
        name = step.selected.name
        if step.how is _How.ENTITY:
            return self._neighbour_getter(step)
        if step.how is not _How.ATTRIBUTE:
            raise _NotAssembledError
        if name == "id":
            return _leaf(step, lambda relation: relation[0]["props"].get("id") or None)
        if name == "predicate":
            return _leaf(step, lambda relation: stored_predicate(relation[0]["type"]))
        if name == "direction":
            return _leaf(step, _direction)
        raise _NotAssembledError

    def _neighbour_getter(self, step: _Step) -> Getter:
        resolver = step.field.resolver if step.field else None
        function: Any = resolver.wrapped_func if resolver is not None else None
        if function is None or not is_neighbour(function):
            raise _NotAssembledError  # a subject or an object: not read with the page
        below = step.below

        def neighbour(relation: tuple[Row, str], pages: Mapping[RelationKey, Row]) -> Json:
            edge = relation[0]
            return self._entity((stored_category(edge["label"]), edge["neighbour"]), pages, below)

        return neighbour


def _named(step: _Step) -> str:
    """The name of the object type a step's field gives (a page's, a relation's)."""
    return get_named_type(step.field.type).name if step.field else step.type_name


def _constant(value: str) -> Getter:
    return lambda _value, _pages: value


def _stored_value(name: str, step: _Step) -> Getter:
    return _leaf(step, lambda entity: entity[1].get(name))


def _leaf(step: _Step, raw_of: Callable[[Any], Any]) -> Getter:
    """The value ``raw_of`` finds, serialised as the field's type serialises it; a null where
    the type forbids one, or a value it would not serialise, is not assembled."""
    serialise = step.leaf
    required = isinstance(step.field.type, GraphQLNonNull) if step.field else False
    if serialise is None:
        raise _NotAssembledError

    def value(found: Any, _pages: Mapping[RelationKey, Row]) -> Json:
        raw = raw_of(found)
        if raw is None:
            if required:
                raise _NotAssembledError
            return None
        serialised = serialise(raw)
        if serialised is None:
            raise _NotAssembledError
        return serialised

    return value


@cache
def _view_name(category: Category) -> str:
    return _type_name_of(VIEWS[category])


@cache
def _view_category(type_name: str) -> Category:
    """The category whose view is the object type ``type_name``."""
    [category] = [c for c in VIEWS if _view_name(c) == type_name]
    return category


def _direction(relation: tuple[Row, str]) -> RelationDirection:
    edge, origin = relation
    return RelationDirection.IN if origin == edge["object"] else RelationDirection.OUT


_NO_PAGES = MAX_READ_AHEAD  # an entity reached by subject or object: no page is read for it


class _Answerable:
    """Whether a selection can be shaped from one read, decided before anything is read.

    ``level`` is the read-ahead level of the page a value sits in (0: the entity asked for);
    a page field below it is read at ``level + 1``, up to ``MAX_READ_AHEAD``, and only along
    ``neighbour`` (what ``lookahead`` plans). Fields whose resolvers would read something else
    (a tool, the studies behind a relation) are not answerable.
    """

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]):
        self.schema, self.fragments = schema, fragments

    def check(self, output: GraphQLOutputType, below: SelectionSetNode | None, level: int) -> bool:
        named = get_named_type(output)
        if is_leaf_type(named):
            return True
        if below is None:
            return False
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            kinds = self.schema.get_possible_types(named)
        else:
            kinds = [named]  # type: ignore[list-item]
        return all(self._object(kind.name, below, level) for kind in kinds)

    def _object(self, type_name: str, below: SelectionSetNode, level: int) -> bool:
        kind = _kind(self.schema, type_name)
        for nodes in _collect_nodes(below.selections, kind.names, self.fragments, {}).values():
            name = nodes[0].name.value
            if name == "__typename":
                continue
            try:
                field = _field(kind, name)
            except NotCompiledError:
                return False
            given = self._level(field.resolver, level)
            if given is None or not self.check(field.type, _below(nodes), given):
                return False
        return True

    @staticmethod
    def _level(resolver: StrawberryResolver[Any] | None, level: int) -> int | None:
        """The level of what a field gives; None when it cannot be shaped from the read."""
        try:
            how = _how(resolver)
        except NotCompiledError:
            return None
        if how is _How.PAGE:
            return level + 1 if level < MAX_READ_AHEAD else None
        if how is _How.ENTITY:
            assert resolver is not None  # an entity comes from a resolver
            function: Any = resolver.wrapped_func
            return level if is_neighbour(function) else _NO_PAGES
        return level


def _below(nodes: list[FieldNode]) -> SelectionSetNode | None:
    """The merged selection set of fields answered under one key."""
    sets = [n.selection_set for n in nodes if n.selection_set is not None]
    if len(sets) <= 1:
        return sets[0] if sets else None
    return SelectionSetNode(selections=tuple(s for one in sets for s in one.selections))


def _collect_nodes(
    selections: Sequence[SelectionNode],
    names: frozenset[str],
    fragments: dict[str, FragmentDefinitionNode],
    into: dict[str, list[FieldNode]],
) -> dict[str, list[FieldNode]]:
    """As ``_collect``, on the document's own nodes."""
    for selection in selections:
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            into.setdefault(key, []).append(selection)
            continue
        condition: str | None
        if isinstance(selection, FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            condition, inner = fragment.type_condition.name.value, fragment.selection_set
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            inner = selection.selection_set
        if condition is None or condition in names:
            _collect_nodes(inner.selections, names, fragments, into)
    return into


def _merged(collected: Mapping[str, list[SelectedField]]) -> Collected:
    """Each response key's fields with their selections merged."""
    return {
        key: (
            fields,
            fields[0].selections if len(fields) == 1 else [s for f in fields for s in f.selections],
        )
        for key, fields in collected.items()
    }


def _collect(
    selections: Sequence[Selection],
    names: frozenset[str],
    into: dict[str, list[SelectedField]],
) -> Mapping[str, list[SelectedField]]:
    """The fields selected on a type answering to ``names``, by response key, in order."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            into.setdefault(selection.alias or selection.name, []).append(selection)
        elif selection.type_condition is None or selection.type_condition in names:
            _collect(selection.selections, names, into)
    return into


class CompiledGraphQL:
    """ASGI middleware: ``POST path`` with a JSON body answered by ``answers`` when it can;
    everything else (and the same request, when it cannot) goes on to ``app``."""

    def __init__(self, app: ASGIApp, *, path: str, answers: CompiledAnswers) -> None:
        self.app, self.path, self.answers = app, path.rstrip("/"), answers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._may_answer(scope):
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        data = await self._answer(scope, body)
        if data is None:
            await self.app(scope, replay(body, receive), send)
            return
        payload = orjson.dumps(data)
        headers = [(b"content-length", str(len(payload)).encode()), *_JSON]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    def _may_answer(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "POST":
            return False
        if scope["path"].rstrip("/") != self.path:
            return False
        content_type = dict(scope["headers"]).get(b"content-type", b"")
        return bool(content_type.split(b";")[0].strip().lower() == b"application/json")

    async def _answer(self, scope: Scope, body: bytes) -> Json | None:
        request = graphql_request("POST", b"", body)
        if request is None or request.other_keys:
            return None
        if not isinstance(request.operation_name, str | None):
            return None
        state = scope["app"].state
        context = Context(app_reader(state), state.settings)
        return await self.answers.answer(
            context, request.query, request.variables, request.operation_name
        )


_JSON = ((b"content-type", b"application/json"),)


__all__ = ["CompiledAnswers", "CompiledGraphQL"]
