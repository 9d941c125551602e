"""Streaming reads for the RDF export: nodes, then edges, as records, lazily.

The statements live in ``graph.cypher.export``; this module chooses them for a selection
(``plan``), runs them and turns their rows into records. Reads iterate the driver's result
lazily (``fetch_size`` records at a time), so a dump never holds the graph in memory: one pass
over the nodes, one over the relationships, in one read transaction.

The same plans serve the synchronous driver (CLI, benchmarks) and the async one (the API).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from neo4j import AsyncDriver, Driver, Record
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph.cypher import export as cypher
from graph.errors import GraphError, GraphUnavailableError
from graph.repository import edge_from_row, lucene_escape, node_from_row
from ontology.rdf import Exporter, Summary
from ontology.records import Edge, Node
from ontology.vocab import Category

logger = logging.getLogger(__name__)

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


# A study named by its PMID, DOI or NCT id (attributes of the study, not cross-references).
_STUDY_REFERENCES = {"PMID": "pmid", "DOI": "doi", "NCT": "nct"}


def plan(selection: Selection, *, limit: int | None = None) -> list[Step]:
    """The reads of an export, in order: nodes first, then edges (then more nodes)."""
    if selection.categories:
        cats = tuple(sorted(set(selection.categories)))
        return [
            Step("node", cypher.category_nodes(cats), {}),
            Step("edge", cypher.category_edges(cats), {}),
            Step("node", cypher.category_neighbours(cats), {}),
        ]
    if selection.entity is not None:
        parameters = {"id": selection.entity}
        return [
            Step("node", cypher.neighbourhood_nodes(), parameters),
            Step(
                "edge",
                cypher.neighbourhood_edges(),
                {**parameters, "limit": limit if limit is not None else 2**62},
            ),
        ]
    if selection.ids is not None:
        ids = {"ids": sorted(set(selection.ids))}
        return [
            Step("node", cypher.SELECTED_NODES, ids),
            Step("edge", cypher.selected_edges(), ids),
        ]
    if selection.ordered:
        return [
            Step("node", cypher.ALL_NODES_ORDERED, {}),
            Step("edges", cypher.all_edges_ordered(), {"chunk": EDGES_PER_ROW}),
        ]
    return [
        Step("node", cypher.ALL_NODES, {}),
        Step("edges", cypher.all_edges(), {"chunk": EDGES_PER_ROW}),
    ]


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
                logger.debug("export step: %s rows of %s", step.kind, selection.describe())
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
    logger.info("exporting %s", selection.describe())
    exporter.begin()
    for item in iter_items(driver, selection, database=database):
        item.feed(exporter)
        if on_item is not None:
            on_item(item)
    summary = exporter.end()
    logger.info(
        "exported %d nodes, %d edges, %d triples",
        summary.node_total,
        summary.edge_total,
        summary.triples,
    )
    return summary


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
            (cypher.count_category_nodes(cats), {}),
            (cypher.count_category_edges(cats), {}),
            (cypher.count_category_neighbours(cats), {}),
        ]
    if selection.entity is not None:
        return [(cypher.COUNT_NEIGHBOURHOOD_RECORDS, {"id": selection.entity})]
    if selection.ids is not None:
        ids = {"ids": sorted(set(selection.ids))}
        return [(cypher.COUNT_SELECTED_NODES, ids), (cypher.count_selected_edges(), ids)]
    return [(cypher.COUNT_ALL_NODES, {}), (cypher.COUNT_ALL_EDGES, {})]


def find_node(driver: Driver, curie: str, *, database: str | None = None) -> StoredNode | None:
    with driver.session(database=database, default_access_mode="READ") as session:
        row = session.run(cypher.NODE_BY_ID, id=curie).single()
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
        result = await session.run(cypher.count_neighbourhood(), id=curie)
        row = await result.single()
    return None if row is None else (row["nodes"], row["edges"])


async def afind_node(
    driver: AsyncDriver, curie: str, *, database: str | None = None
) -> StoredNode | None:
    async with driver.session(database=database, default_access_mode="READ") as session:
        result = await session.run(cypher.NODE_BY_ID, id=curie)
        row = await result.single()
    return None if row is None else stored_node(*row)


async def aresolve_xref(
    driver: AsyncDriver, curie: str, *, database: str | None = None
) -> str | None:
    """The id of the entity that lists ``curie`` among its cross-references, if any.

    A PMID, DOI or NCT id also names the study that carries it (``/entity/DOI:10...``).
    """
    async with driver.session(database=database, default_access_mode="READ") as session:
        result = await session.run(
            cypher.NODE_BY_XREF, {"query": lucene_escape(curie), "curie": curie}
        )
        row = await result.single()
        prefix, _, local = curie.partition(":")
        if row is None and prefix in _STUDY_REFERENCES:
            result = await session.run(
                cypher.STUDY_BY_REFERENCE, field=_STUDY_REFERENCES[prefix], local=local
            )
            row = await result.single()
    return None if row is None else str(row["id"])


async def afind_edge(
    driver: AsyncDriver, edge_id: str, *, database: str | None = None
) -> StoredEdge | None:
    """An edge by its id (the last segment of its IRI), or None."""
    async with driver.session(database=database, default_access_mode="READ") as session:
        result = await session.run(cypher.edge_by_id(), id=edge_id)
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
