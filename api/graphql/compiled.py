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
records or views (``Assembler``); otherwise it is shaped from records. ``studies`` and
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
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
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
from strawberry.types.fields.resolver import StrawberryResolver
from strawberry.types.nodes import SelectedField, Selection, convert_selections
from strawberry.types.nodes import convert_arguments as convert_arguments_of

from api.graphql import resolvers
from api.graphql.assembled import Assembler, NotAssembledError
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
    entity_view,
    is_neighbour,
    relation_connection,
)
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
from api.graphql.steps import (
    How,
    Json,
    NotCompiledError,
    Step,
    StepsByType,
    graphql_type_name,
    how_of,
    kind_of,
    steps_of,
    view_field,
)
from graph import reads
from graph.errors import GraphError
from graph.reads import MAX_READ_AHEAD, Page, PagePlan, Reader, RelationKey, TermSpec
from ontology.records import Edge, Node

ENTITY_FIELD = "entity"
# The root fields answered by calling their resolver: each reads once, and its nested fields
# are answered from what it returns (no page is read ahead for them).
RESOLVED_FIELDS = frozenset({"studies", "studiesConnecting"})
STUDIES_FIELD = "studies"  # its read's rows may be assembled, as an entity's
ASKED_KEPT = 64  # what a plan was asked, per variables, at most


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
    assembler: Assembler | None = None
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
        answer = shaper.shape(graphql_type_name(view), view, root.selections)
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
) -> Assembler | None:
    """An entity's assembler (what declines it is met in its rows), or the studies list's
    when everything it selects is stored as it is served (decided here, before any read)."""
    if pages is not None:
        return Assembler(schema, pages)
    if root.name.value != STUDIES_FIELD:
        return None
    field: GraphQLField = schema.query_type.fields[STUDIES_FIELD]  # type: ignore[union-attr]
    assembler = Assembler(schema, (), listed=get_named_type(field.type).name)
    try:
        assembler.list_getters(selections)
    except NotAssembledError:
        return None
    return assembler


def _assembled(plan: Plan, assemble: Callable[[Assembler], Json]) -> Json | None:
    """The answer assembled from the read's rows; None when the plan's is shaped from
    records (then for good: what declines it is met again)."""
    assembler = plan.assembler
    if assembler is None or assembler.declined:
        return None
    try:
        return assemble(assembler)
    except NotAssembledError:
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
            steps = steps_of(self.schema, type_name, selections)
            found = self.collected[key] = (selections, steps)
        return {step.key: self._answer(step, value) for step in found[1]}

    def _answer(self, step: Step, value: Any) -> Json:
        field = step.field
        if field is None:
            return step.type_name
        how = step.how
        if how is How.ATTRIBUTE:
            raw = getattr(value, field.attribute)
        elif how is How.PAGE:
            raw = self._page(value, step.selected)
        elif how is How.ENTITY:
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
        name = kind.name if isinstance(kind, GraphQLObjectType) else graphql_type_name(raw)
        return self.shape(name, raw, selections)


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
        kind = kind_of(self.schema, type_name)
        for nodes in _collect_nodes(below.selections, kind.names, self.fragments, {}).values():
            name = nodes[0].name.value
            if name == "__typename":
                continue
            try:
                field = view_field(kind, name)
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
            how = how_of(resolver)
        except NotCompiledError:
            return None
        if how is How.PAGE:
            return level + 1 if level < MAX_READ_AHEAD else None
        if how is How.ENTITY:
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
    """The fields selected on a type answering to ``names``, by response key, in order (as
    ``steps.steps_of`` collects them), on the document's own nodes."""
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
