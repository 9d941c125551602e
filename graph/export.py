"""Streaming reads for the RDF export: nodes, then edges, as records, lazily.

Every Cypher statement of the export lives here. Labels and relationship types come only from
the vocabulary (backticked); values travel as parameters. Reads iterate the driver's result
lazily (``fetch_size`` records at a time), so a dump never holds the graph in memory: one pass
over the nodes, one over the relationships, in one read transaction.

The same plans serve the synchronous driver (CLI, benchmarks) and the async one (the API).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from neo4j import AsyncDriver, Driver, Record
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph.cypher import ENTITY, NODE_BY_XREF
from graph.errors import GraphError, GraphUnavailableError
from graph.repository import edge_from_row, lucene_escape, node_from_row
from ontology.rdf import Exporter, Summary
from ontology.records import Edge, Node
from ontology.vocab import CATEGORIES, PREDICATES, Category

FETCH_SIZE = 1000  # rows per fetch; a whole-graph edge row holds up to EDGES_PER_ROW edges
EDGES_PER_ROW = 16


class ExportError(GraphError):
    """A stored record could not be read back as a valid record."""


@dataclass(frozen=True)
class StoredNode:
    """A node as stored: the record and every source that contributed to it."""

    node: Node
    sources: tuple[str, ...]

    def feed(self, exporter: Exporter) -> None:
        exporter.node(self.node, self.sources)


@dataclass(frozen=True)
class StoredEdge:
    """An edge as stored, with the id it was written under (its IRI)."""

    edge: Edge
    id: str

    def feed(self, exporter: Exporter) -> None:
        exporter.edge(self.edge, self.id)


Item = StoredNode | StoredEdge


@dataclass(frozen=True)
class Selection:
    """What part of the graph to export; the whole graph when nothing is set.

    - ``categories``: their nodes, every edge touching them, and the nodes at the other ends;
    - ``entity``: the entity, its edges and its neighbours (its neighbourhood);
    - ``ids``: these nodes and the edges among them (for example a GraphQL answer's entities).

    ``ordered`` (the whole graph only): nodes by id, each subject's edges by type, object and
    id, so that the same graph is always read in the same order (reproducible releases).
    """

    categories: tuple[Category, ...] = ()
    entity: str | None = None
    ids: tuple[str, ...] | None = None
    ordered: bool = False

    def __post_init__(self) -> None:
        given = sum((bool(self.categories), self.entity is not None, self.ids is not None))
        if given > 1:
            raise ValueError("choose one of categories, entity or ids")
        if self.ordered and given:
            raise ValueError("only the whole graph is read in order")

    def describe(self) -> str:
        if self.categories:
            names = ", ".join(c.value for c in self.categories)
            return f"the categories {names}, their edges and the nodes they reach"
        if self.entity is not None:
            return f"the neighbourhood of {self.entity}"
        if self.ids is not None:
            return f"{len(self.ids)} selected entities and the edges among them"
        return "the whole graph"

    def slug(self) -> str:
        if self.categories:
            return "-".join(c.value for c in self.categories)
        if self.entity is not None:
            return "entity-" + "".join(ch if ch.isalnum() else "-" for ch in self.entity)
        if self.ids is not None:
            return "selection"
        return "all"


Kind = Literal["node", "edge", "edges"]  # "edges": a subject and a list of its edges


@dataclass(frozen=True)
class Step:
    kind: Kind
    query: str
    parameters: dict[str, Any]


# -- Cypher ----------------------------------------------------------------------------------

_NODE = f"[l IN labels(n) WHERE l <> '{ENTITY}'][0] AS label, properties(n) AS props"
_EDGE = "a.id AS subject, type(r) AS type, b.id AS object, properties(r) AS props"


@cache
def _labels(categories: tuple[Category, ...]) -> str:
    return "|".join(f"`{CATEGORIES[c].label}`" for c in sorted(categories))


@cache
def _types() -> str:
    return "|".join(f"`{info.rel_type}`" for info in PREDICATES.values())


ALL_NODES = f"MATCH (n:{ENTITY}) RETURN {_NODE}"


@cache
def all_edges() -> str:
    """Every edge, grouped by subject: rows of ``subject`` and up to ``$chunk`` edges.

    The Python driver spends ~11 µs on each row it decodes, a third of that per edge when the
    edges come grouped. The server collects one subject's relationships at a time, as
    references, and reads their properties a chunk at a time; the chunk bounds a row (and so a
    fetch) however many edges a hub has.
    """
    return f"""
MATCH (a:{ENTITY})
CALL (a) {{
  MATCH (a)-[r:{_types()}]->(:{ENTITY})
  WITH collect(r) AS out
  WHERE out <> []
  UNWIND range(0, size(out) - 1, $chunk) AS i
  RETURN [r IN out[i..i + $chunk] | [type(r), endNode(r).id, properties(r)]] AS edges
}}
RETURN a.id AS subject, edges"""


ALL_NODES_ORDERED = f"MATCH (n:{ENTITY}) RETURN {_NODE} ORDER BY n.id"


@cache
def all_edges_ordered() -> str:
    """``all_edges`` in a stable order: subjects by id, their edges by type, object and id."""
    return f"""
MATCH (a:{ENTITY})
CALL (a) {{
  MATCH (a)-[r:{_types()}]->(b:{ENTITY})
  WITH r, b ORDER BY type(r), b.id, r.id
  WITH collect(r) AS out
  WHERE out <> []
  UNWIND range(0, size(out) - 1, $chunk) AS i
  RETURN i, [r IN out[i..i + $chunk] | [type(r), endNode(r).id, properties(r)]] AS edges
}}
RETURN a.id AS subject, edges
ORDER BY subject, i"""


@cache
def category_nodes(categories: tuple[Category, ...]) -> str:
    return f"MATCH (n:{_labels(categories)}) WHERE n:{ENTITY} RETURN {_NODE}"


@cache
def category_edges(categories: tuple[Category, ...]) -> str:
    """Edges with at least one end in the categories, each once (label scans, no full scan).

    A subject's edges come together (the exporter writes a direct triple once per subject).
    """
    labels, types = _labels(categories), _types()
    return f"""
CALL () {{
  MATCH (a:{labels})-[r:{types}]->(b:{ENTITY}) WHERE a:{ENTITY} RETURN a, r, b
  UNION ALL
  MATCH (a:{ENTITY})-[r:{types}]->(b:{labels}) WHERE b:{ENTITY} AND NOT a:{labels}
  RETURN a, r, b
}}
RETURN {_EDGE}
ORDER BY subject"""


@cache
def category_neighbours(categories: tuple[Category, ...]) -> str:
    """The nodes outside the categories at the other end of their edges, each once."""
    labels, types = _labels(categories), _types()
    return f"""
MATCH (c:{labels})-[:{types}]-(n:{ENTITY}) WHERE c:{ENTITY} AND NOT n:{labels}
WITH DISTINCT n
RETURN {_NODE}"""


@cache
def neighbourhood_nodes() -> str:
    return f"""
MATCH (c:{ENTITY} {{id: $id}})
CALL (c) {{
  RETURN c AS n
  UNION
  MATCH (c)-[:{_types()}]-(n:{ENTITY}) RETURN n
}}
RETURN {_NODE}"""


@cache
def neighbourhood_edges() -> str:
    return f"""
MATCH (c:{ENTITY} {{id: $id}})-[r:{_types()}]-(:{ENTITY})
WITH r, startNode(r) AS a, endNode(r) AS b
ORDER BY type(r), a.id, b.id, r.id
LIMIT $limit
RETURN {_EDGE}"""


SELECTED_NODES = f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}})
RETURN {_NODE}"""


@cache
def selected_edges() -> str:
    return f"""
UNWIND $ids AS id
MATCH (a:{ENTITY} {{id: id}})-[r:{_types()}]->(b:{ENTITY})
WHERE b.id IN $ids
RETURN {_EDGE}"""


COUNT_ALL_NODES = f"MATCH (n:{ENTITY}) RETURN count(n) AS count"
COUNT_ALL_EDGES = "MATCH ()-[r]->() RETURN count(r) AS count"


@cache
def count_category_nodes(categories: tuple[Category, ...]) -> str:
    return f"MATCH (n:{_labels(categories)}) WHERE n:{ENTITY} RETURN count(n) AS count"


@cache
def count_category_edges(categories: tuple[Category, ...]) -> str:
    labels = _labels(categories)
    return (
        f"MATCH (a:{ENTITY})-[r:{_types()}]->(b:{ENTITY}) WHERE a:{labels} OR b:{labels} "
        "RETURN count(r) AS count"
    )


@cache
def count_category_neighbours(categories: tuple[Category, ...]) -> str:
    labels = _labels(categories)
    return (
        f"MATCH (c:{labels})-[:{_types()}]-(n:{ENTITY}) WHERE c:{ENTITY} AND NOT n:{labels} "
        "RETURN count(DISTINCT n) AS count"
    )


@cache
def count_neighbourhood() -> str:
    """(neighbours, edges) of an entity; no row when the entity does not exist."""
    return (
        f"MATCH (c:{ENTITY} {{id: $id}}) OPTIONAL MATCH (c)-[r:{_types()}]-(m:{ENTITY}) "
        "RETURN count(DISTINCT m) AS nodes, count(r) AS edges"
    )


COUNT_NEIGHBOURHOOD_RECORDS = f"""
MATCH (c:{ENTITY} {{id: $id}})
OPTIONAL MATCH (c)-[r:{_types()}]-(m:{ENTITY})
RETURN 1 + count(DISTINCT m) + count(r) AS count"""

COUNT_SELECTED_NODES = f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}})
RETURN count(n) AS count"""


@cache
def count_selected_edges() -> str:
    return f"""
UNWIND $ids AS id
MATCH (:{ENTITY} {{id: id}})-[r:{_types()}]->(b:{ENTITY})
WHERE b.id IN $ids
RETURN count(r) AS count"""


NODE_BY_ID = f"MATCH (n:{ENTITY} {{id: $id}}) RETURN {_NODE}"


@cache
def edge_by_id() -> str:
    """One edge by its id: a lookup in each relationship type's unique index."""
    arms = "\n  UNION\n  ".join(
        f"MATCH (a:{ENTITY})-[r:`{info.rel_type}` {{id: $id}}]->(b:{ENTITY}) RETURN a, r, b"
        for info in PREDICATES.values()
    )
    return f"CALL () {{\n  {arms}\n}}\nRETURN {_EDGE} LIMIT 1"


# A study named by its PMID, DOI or NCT id (attributes of the study, not cross-references).
_STUDY_REFERENCES = {"PMID": "pmid", "DOI": "doi", "NCT": "nct"}
STUDY_BY_REFERENCE = f"""
MATCH (s:`{CATEGORIES[Category.STUDY].label}`) WHERE s[$field] = $local
RETURN s.id AS id ORDER BY id LIMIT 1"""


def plan(selection: Selection, *, limit: int | None = None) -> list[Step]:
    """The reads of an export, in order: nodes first, then edges (then more nodes)."""
    if selection.categories:
        cats = tuple(sorted(set(selection.categories)))
        return [
            Step("node", category_nodes(cats), {}),
            Step("edge", category_edges(cats), {}),
            Step("node", category_neighbours(cats), {}),
        ]
    if selection.entity is not None:
        parameters = {"id": selection.entity}
        return [
            Step("node", neighbourhood_nodes(), parameters),
            Step(
                "edge",
                neighbourhood_edges(),
                {**parameters, "limit": limit if limit is not None else 2**62},
            ),
        ]
    if selection.ids is not None:
        ids = {"ids": sorted(set(selection.ids))}
        return [Step("node", SELECTED_NODES, ids), Step("edge", selected_edges(), ids)]
    if selection.ordered:
        return [
            Step("node", ALL_NODES_ORDERED, {}),
            Step("edges", all_edges_ordered(), {"chunk": EDGES_PER_ROW}),
        ]
    return [Step("node", ALL_NODES, {}), Step("edges", all_edges(), {"chunk": EDGES_PER_ROW})]


# -- rows -> records -------------------------------------------------------------------------


def items_of(kind: Kind, row: Record) -> list[Item]:
    """The stored nodes or edges of one result row (one, or a subject's group of edges)."""
    if kind == "node":
        label, props = row  # unpacking a Record costs a third of reading it key by key
        return [stored_node(label, props)]
    if kind == "edge":
        subject, rel_type, obj, props = row
        return [stored_edge(subject, rel_type, obj, props)]
    subject, edges = row
    return [stored_edge(subject, rel_type, obj, props) for rel_type, obj, props in edges]


def stored_node(label: str, props: dict[str, Any]) -> StoredNode:
    try:
        node = node_from_row(label, props)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise _invalid("node", props, error) from error
    return StoredNode(node, tuple(props.get("sources") or ()))


def stored_edge(subject: str, rel_type: str, obj: str, props: dict[str, Any]) -> StoredEdge:
    try:
        edge = edge_from_row(subject, rel_type, obj, props)
    except ValueError as error:
        raise _invalid("edge", props, error) from error
    return StoredEdge(edge, str(props.get("id") or edge.id))


def _invalid(kind: str, props: dict[str, Any], error: ValueError) -> ExportError:
    """A stored value that is no longer valid fails the export, naming the record."""
    return ExportError(f"stored {kind} {props.get('id', '?')} is not a valid record: {error}")


# -- synchronous (CLI, benchmarks) -----------------------------------------------------------


def iter_items(
    driver: Driver,
    selection: Selection,
    *,
    database: str | None = None,
    fetch_size: int = FETCH_SIZE,
) -> Iterator[Item]:
    """Stream the selection's nodes and edges, in one read transaction.

    (A read-ahead thread was tried and is slower: the reader waits for the GIL after every
    socket read while the writer formats.)
    """
    try:
        with (
            driver.session(
                database=database,
                default_access_mode="READ",
                fetch_size=fetch_size,
                notifications_min_severity="OFF",
            ) as session,
            session.begin_transaction() as tx,
        ):
            for step in plan(selection):
                for row in tx.run(step.query, step.parameters):
                    yield from items_of(step.kind, row)
    except (ServiceUnavailable, SessionExpired) as error:
        raise GraphUnavailableError(f"Neo4j went away during the export: {error}") from error
    except Neo4jError as error:
        raise GraphError(f"the export query failed: {error}") from error


def export(
    driver: Driver,
    selection: Selection,
    exporter: Exporter,
    *,
    database: str | None = None,
    on_item: Callable[[Item], None] | None = None,
) -> Summary:
    """Write the selection through an exporter; ``on_item`` is called after each record."""
    exporter.begin()
    for item in iter_items(driver, selection, database=database):
        item.feed(exporter)
        if on_item is not None:
            on_item(item)
    return exporter.end()


def count(driver: Driver, selection: Selection, *, database: str | None = None) -> int:
    """How many records (nodes and edges) the selection holds, for a progress bar."""
    with driver.session(database=database, default_access_mode="READ") as session:
        return sum(
            int(session.run(query, parameters).single(strict=True)["count"])
            for query, parameters in count_queries(selection)
        )


def count_queries(selection: Selection) -> list[tuple[str, dict[str, Any]]]:
    if selection.categories:
        cats = tuple(sorted(set(selection.categories)))
        return [
            (count_category_nodes(cats), {}),
            (count_category_edges(cats), {}),
            (count_category_neighbours(cats), {}),
        ]
    if selection.entity is not None:
        return [(COUNT_NEIGHBOURHOOD_RECORDS, {"id": selection.entity})]
    if selection.ids is not None:
        ids = {"ids": sorted(set(selection.ids))}
        return [(COUNT_SELECTED_NODES, ids), (count_selected_edges(), ids)]
    return [(COUNT_ALL_NODES, {}), (COUNT_ALL_EDGES, {})]


def find_node(driver: Driver, curie: str, *, database: str | None = None) -> StoredNode | None:
    with driver.session(database=database, default_access_mode="READ") as session:
        row = session.run(NODE_BY_ID, id=curie).single()
    return None if row is None else stored_node(*row)


# -- asynchronous (the API) ------------------------------------------------------------------


async def aiter_items(
    driver: AsyncDriver,
    selection: Selection,
    *,
    database: str | None = None,
    limit: int | None = None,
    fetch_size: int = FETCH_SIZE,
) -> AsyncIterator[Item]:
    """The async twin of ``iter_items`` (``limit`` caps a neighbourhood's edges)."""
    try:
        async with driver.session(
            database=database,
            default_access_mode="READ",
            fetch_size=fetch_size,
            notifications_min_severity="OFF",
        ) as session:
            tx = await session.begin_transaction()
            try:
                for step in plan(selection, limit=limit):
                    result = await tx.run(step.query, step.parameters)
                    async for row in result:
                        for item in items_of(step.kind, row):
                            yield item
            finally:
                await tx.close()
    except (ServiceUnavailable, SessionExpired) as error:
        raise GraphUnavailableError(f"Neo4j went away during the export: {error}") from error
    except Neo4jError as error:
        raise GraphError(f"the export query failed: {error}") from error


async def acount_neighbourhood(
    driver: AsyncDriver, curie: str, *, database: str | None = None
) -> tuple[int, int] | None:
    """(neighbour nodes, edges) of an entity, or None when it does not exist."""
    async with driver.session(database=database, default_access_mode="READ") as session:
        result = await session.run(count_neighbourhood(), id=curie)
        row = await result.single()
    return None if row is None else (row["nodes"], row["edges"])


async def afind_node(
    driver: AsyncDriver, curie: str, *, database: str | None = None
) -> StoredNode | None:
    async with driver.session(database=database, default_access_mode="READ") as session:
        result = await session.run(NODE_BY_ID, id=curie)
        row = await result.single()
    return None if row is None else stored_node(*row)


async def aresolve_xref(
    driver: AsyncDriver, curie: str, *, database: str | None = None
) -> str | None:
    """The id of the entity that lists ``curie`` among its cross-references, if any.

    A PMID, DOI or NCT id also names the study that carries it (``/entity/DOI:10...``).
    """
    async with driver.session(database=database, default_access_mode="READ") as session:
        result = await session.run(NODE_BY_XREF, {"query": lucene_escape(curie), "curie": curie})
        row = await result.single()
        prefix, _, local = curie.partition(":")
        if row is None and prefix in _STUDY_REFERENCES:
            result = await session.run(
                STUDY_BY_REFERENCE, field=_STUDY_REFERENCES[prefix], local=local
            )
            row = await result.single()
    return None if row is None else str(row["id"])


async def afind_edge(
    driver: AsyncDriver, edge_id: str, *, database: str | None = None
) -> StoredEdge | None:
    """An edge by its id (the last segment of its IRI), or None."""
    async with driver.session(database=database, default_access_mode="READ") as session:
        result = await session.run(edge_by_id(), id=edge_id)
        row = await result.single()
    return None if row is None else stored_edge(*row)


async def aneighbourhood(
    driver: AsyncDriver, curie: str, *, limit: int, database: str | None = None
) -> tuple[list[StoredNode], list[StoredEdge]]:
    """An entity's neighbours and up to ``limit`` of its edges, in a stable order."""
    nodes: list[StoredNode] = []
    edges: list[StoredEdge] = []
    async for item in aiter_items(driver, Selection(entity=curie), database=database, limit=limit):
        if isinstance(item, StoredNode):
            nodes.append(item)
        else:
            edges.append(item)
    return nodes, edges


def ids_in(answer: object, *, key: str = "id") -> list[str]:
    """Every string under ``key`` in a (GraphQL) JSON answer, in order of appearance."""
    found: dict[str, None] = {}
    stack: list[object] = [answer]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            nested: list[object] = []
            for name, inner in value.items():
                if name == key and isinstance(inner, str):
                    found[inner] = None
                else:
                    nested.append(inner)
            stack.extend(reversed(nested))
        elif isinstance(value, list):
            stack.extend(reversed(value))
    return list(found)
