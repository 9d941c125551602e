"""Async reads for the GraphQL API: ids in, ontology records (or small frozen results) out.

Every function runs exactly one query, alone in a read transaction (auto-commit, in a session
in READ access mode, see ``fetch``) with the per-query timeout of its ``Reader``: the API cannot
write, and a runaway query is stopped by the server. Functions that take a batch of keys
answer it in key order, so that a DataLoader can hand the results back as they are. Records
are rebuilt without pydantic's re-validation (``graph.repository.stored_node``,
``stored_edge``): only validated records are ever written.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from neo4j import READ_ACCESS, AsyncDriver, Query
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph.cypher import reads as queries
from graph.errors import GraphError, GraphUnavailableError
from graph.lean_bolt import LeanError, LeanReads, LeanTimeoutError
from graph.repository import lucene_escape, stored_category, stored_edge, stored_node
from ontology.records import Edge, Node
from ontology.vocab import (
    CATEGORIES,
    NANOMOLAR_FACTOR,
    PREDICATES,
    Category,
    Measure,
    Predicate,
    StudyDesign,
    Unit,
)

# What a caller passes to these reads (the API takes them from here, never from graph.cypher).
Direction = queries.Direction
StudyOrder = queries.StudyOrder
MeasurementOrder = queries.MeasurementOrder
MAX_PATH_HOPS = queries.MAX_PATH_HOPS  # the longest path ``paths`` reads
MAX_READ_AHEAD = queries.MAX_READ_AHEAD  # relation levels ``entity_with_pages`` reads at once

T = TypeVar("T")
Row = dict[str, Any]

_TIMEOUT_CODES = ("TransactionTimedOut", "TransactionTimedOutClientConfiguration")


class QueryTimeoutError(GraphError):
    """A read took longer than the query timeout and was stopped by the server."""


class ReadError(GraphError):
    """Neo4j refused or failed a read (a bug on our side, not the caller's)."""


@dataclass(frozen=True)
class Reader:
    """Where and how to read: the driver, the database and the per-query timeout; ``lean``,
    the API's own Bolt connections (``graph.lean_bolt``, the same database and timeout), tried
    before the driver."""

    driver: AsyncDriver
    database: str | None = None
    timeout: float | None = None
    lean: LeanReads | None = None


async def fetch(
    reader: Reader, query: str, params: Mapping[str, Any], *, notifications: bool = True
) -> list[Row]:
    """Run one query, alone in a read transaction; its rows as dicts. Driver errors are wrapped.

    An auto-commit transaction in a READ session (the server refuses writes in it): one round
    trip, where a managed transaction (``execute_read``) adds its BEGIN and COMMIT, 1.5 ms and
    twice the client CPU a request. A dropped connection or a transient error is retried, as
    ``execute_read`` would, for up to ``RETRY_SECONDS``. With the reader's lean connections the
    same exchange costs a third of the driver's CPU; what they cannot read, the driver reads.
    """
    if reader.lean is not None:
        try:
            return await reader.lean.fetch(query, params)
        except LeanTimeoutError as error:
            raise QueryTimeoutError(f"the query ran longer than {reader.timeout} s") from error
        except LeanError:
            pass  # the driver reads it: it retries, or says what failed
    statement = Query(query, timeout=reader.timeout)
    deadline = time.monotonic() + RETRY_SECONDS
    for delay in _RETRY_DELAYS:
        try:
            return await _run(reader, statement, params, notifications=notifications)
        except (ServiceUnavailable, SessionExpired) as error:
            failure: Exception = error
        except Neo4jError as error:
            if not error.is_retryable():
                raise _wrapped(error, reader) from error
            failure = error
        if time.monotonic() + delay > deadline:
            break
        await asyncio.sleep(delay)
    if isinstance(failure, Neo4jError):
        raise _wrapped(failure, reader) from failure
    raise GraphUnavailableError(f"Neo4j is not available: {failure}") from failure


RETRY_SECONDS = 2.0  # as the API's driver retries a managed transaction
_RETRY_DELAYS = (0.1, 0.2, 0.4, 0.8, 1.6)


async def _run(
    reader: Reader, statement: Query, params: Mapping[str, Any], *, notifications: bool
) -> list[Row]:
    async with reader.driver.session(
        database=reader.database,
        default_access_mode=READ_ACCESS,
        notifications_min_severity=None if notifications else "OFF",
    ) as session:
        result = await session.run(statement, dict(params))
        keys = result.keys()
        # Not ``result.data()``: its recursive walk converts graph objects, which no query
        # here returns (maps, lists and values only), and cost a tenth of a request's CPU.
        return [dict(zip(keys, values, strict=True)) for values in await result.values()]


def _wrapped(error: Neo4jError, reader: Reader) -> GraphError:
    if error.code and any(error.code.endswith(code) for code in _TIMEOUT_CODES):
        return QueryTimeoutError(f"the query ran longer than {reader.timeout} s")
    return ReadError(f"Neo4j failed a read ({error.code}): {error.message}")


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page(Generic[T]):
    total: int
    items: tuple[T, ...]
    neighbours: tuple[Node, ...] = ()  # relation pages: the nodes at the other ends
    ids: tuple[str, ...] = ()  # relation pages: the stored id of each item


@dataclass(frozen=True)
class ScoredNode:
    node: Node
    score: float


@dataclass(frozen=True)
class TermMatch:
    """How a term matched a node: 0 id, 1 cross-reference, 2 name/synonym/symbol, 3 class."""

    level: int
    node: Node


@dataclass(frozen=True)
class RelationKey:
    """One page of one node's relationships (a DataLoader key: hashable)."""

    id: str
    types: tuple[str, ...] | None = None
    direction: Direction = "both"
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class Anchor:
    """An entity a seed stands for, how many hops up it is from it (0: the seed), and how
    many study links it has."""

    seed: str
    id: str
    length: int
    links: int = 0


@dataclass(frozen=True)
class StudyRank:
    """What grading a connecting study needs, and the anchors its links reach."""

    id: str
    design: StudyDesign | None
    species: str | None
    sample_size: int | None
    year: int | None
    reached: tuple[str, ...]


@dataclass(frozen=True)
class StudyLinks:
    """A study, its links (INVESTIGATES, MEASURES, TESTS_MECHANISM) to some anchors, and the
    edges up from each anchor it reaches to each seed that anchor stands for."""

    study: Node
    links: tuple[Edge, ...]
    ups: Mapping[tuple[str, str], tuple[Edge, ...]]  # (seed, anchor) -> edges


@dataclass(frozen=True)
class GraphPath:
    ids: tuple[str, ...]
    hops: tuple[Edge, ...]


@dataclass(frozen=True)
class InteractionRow:
    perpetrator: str
    basis: Literal["reported", "enzyme", "inferred"]
    partner: str
    enzyme: str | None
    hops: tuple[Edge, ...]


@dataclass(frozen=True)
class SubstanceEdges:
    substance: str
    depth: int
    edges: tuple[Edge, ...]


@dataclass(frozen=True)
class StudyQuery:
    designs: tuple[StudyDesign, ...] | None = None
    species: tuple[str, ...] | None = None
    year_from: int | None = None
    year_to: int | None = None
    min_sample_size: int | None = None
    max_sample_size: int | None = None
    investigates: TermSpec | None = None  # the studies of what it names (as ``resolve_terms``)


@dataclass(frozen=True)
class MeasurementQuery:
    compounds: tuple[str, ...] | None = None
    targets: tuple[str, ...] | None = None
    measures: tuple[Measure, ...] | None = None
    value_min: float | None = None
    value_max: float | None = None
    unit: Unit | None = None
    assay: str | None = None
    species: tuple[str, ...] | None = None


def edge_of(row: Row) -> Edge:
    return stored_edge(row["subject"], row["type"], row["object"], row["props"])


def _edges(rows: Sequence[Row]) -> tuple[Edge, ...]:
    return tuple(edge_of(r) for r in rows)


# -- entities --------------------------------------------------------------------------------


async def get_nodes(reader: Reader, ids: Sequence[str]) -> list[Node | None]:
    """The nodes with these ids, aligned with ``ids`` (None where absent)."""
    rows = await fetch(reader, queries.NODES_BY_IDS, {"ids": list(dict.fromkeys(ids))})
    found = {r["id"]: stored_node(r["label"], r["props"]) for r in rows if r["label"]}
    return [found.get(i) for i in ids]


_WORD = re.compile(r"[a-z0-9]+")


def class_query(text: str) -> str | None:
    """A Lucene query requiring every word of ``text`` as a prefix (plurals folded)."""
    words = [_singular(w) for w in _WORD.findall(text.lower())]
    return " ".join(f"+{w}*" for w in words) if words else None


def search_words(text: str) -> str:
    """The words of ``text``, lower-cased: Lucene sees terms, never operators or syntax."""
    return " ".join(_WORD.findall(text.lower()))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True)
class TermSpec:
    """A term to resolve, and the ways it may match."""

    text: str
    by_id: bool = True  # primary id or cross-reference
    by_name: bool = True  # exact name, synonym or symbol, case-insensitive
    by_class: bool = False  # a target family or condition whose name holds every word


def _term_row(index: int, spec: TermSpec) -> Row:
    text = spec.text.strip()
    has_words = bool(_WORD.search(text.lower()))
    return {
        "index": index,
        "text": text if spec.by_id else None,
        "lower": text.lower(),
        "xref": lucene_escape(text) if spec.by_id and ":" in text else None,
        "phrase": f'"{lucene_escape(text)}"' if spec.by_name and has_words else None,
        "words": class_query(text) if spec.by_class else None,
    }


async def resolve_terms(reader: Reader, specs: Sequence[TermSpec]) -> list[list[TermMatch]]:
    """Per term, the nodes it names at the most precise level that matched (empty: none)."""
    rows = await fetch(
        reader,
        queries.RESOLVE_TERMS,
        {"terms": [_term_row(i, spec) for i, spec in enumerate(specs)]},
    )
    return _matches(specs, rows)


def _matches(specs: Sequence[TermSpec], rows: Sequence[Row]) -> list[list[TermMatch]]:
    matches: list[list[TermMatch]] = [[] for _ in specs]
    for row in rows:
        found = matches[row["index"]]
        if found and found[0].level < row["level"]:
            continue
        node = stored_node(row["label"], row["props"])
        if all(m.node.id != node.id for m in found):
            found.append(TermMatch(row["level"], node))
    return matches


async def search(
    reader: Reader, text: str, categories: Sequence[Category] | None, offset: int, limit: int
) -> Page[ScoredNode]:
    """Ranked full-text matches over names, synonyms, titles and symbols (any word)."""
    words = search_words(text)
    if not words:
        return Page(0, ())
    label_names = [CATEGORIES[c].label for c in categories] if categories else None
    rows = await fetch(
        reader,
        queries.SEARCH,
        {"query": words, "labels": label_names, "offset": offset, "limit": limit},
    )
    row = rows[0]
    return Page(
        row["total"],
        tuple(ScoredNode(stored_node(h["label"], h["props"]), h["score"]) for h in row["page"]),
    )


async def relations(reader: Reader, keys: Sequence[RelationKey]) -> list[Page[Edge]]:
    """One page of relationships per key, aligned with ``keys``: one query, whose pattern for
    each key names only its relationship types and direction."""
    shapes = list(dict.fromkeys((k.types, k.direction) for k in keys))
    shape_of = {shape: i for i, shape in enumerate(shapes)}
    rows = await fetch(
        reader,
        queries.relations(tuple(shapes)),
        {
            "reach": max([1, *(k.offset + k.limit for k in keys)]),
            "keys": [
                {
                    "index": i,
                    "id": k.id,
                    "shape": shape_of[k.types, k.direction],
                    "offset": k.offset,
                    "limit": k.limit,
                }
                for i, k in enumerate(keys)
            ],
        },
    )
    pages: list[Page[Edge]] = [Page(0, ()) for _ in keys]
    for row in rows:
        edges = row["edges"]
        pages[row["index"]] = Page(
            row["total"],
            _edges(edges),
            tuple(stored_node(e["label"], e["neighbour"]) for e in edges if e["label"]),
            tuple(e["props"]["id"] for e in edges),
        )
    return pages


@dataclass(frozen=True)
class PagePlan:
    """A relation page to read ahead for every node of some categories (e.g. ``studies`` of a
    compound), and the pages to read ahead for each neighbour on it."""

    categories: frozenset[Category]
    types: tuple[str, ...] | None
    direction: Direction
    offset: int
    limit: int
    children: tuple[PagePlan, ...] = ()

    def shape(self) -> queries.PageShape:
        return queries.PageShape(
            tuple(sorted(CATEGORIES[c].label for c in self.categories)),
            (self.types, self.direction),
            tuple(c.shape() for c in self.children),
        )

    def windows(self) -> list[list[int]]:
        """``[offset, limit]`` of this page and of those below it, in preorder."""
        return [[self.offset, self.limit], *(w for c in self.children for w in c.windows())]


@dataclass(frozen=True)
class Found:
    """An entity found by id or cross-reference, and every relation page read with it (keyed
    as ``relations`` is asked for them)."""

    node: Node
    pages: Mapping[RelationKey, Page[Edge]]


async def entity_rows(reader: Reader, term: TermSpec, plans: Sequence[PagePlan]) -> list[Row]:
    """The rows of what ``term`` names by id, else by cross-reference (as ``resolve_terms``),
    ordered by id; when it names exactly one entity, with the pages ``plans`` ask for (see
    ``raw_pages``), in one query."""
    return await fetch(
        reader,
        queries.entity_with_pages(tuple(p.shape() for p in plans)),
        {"term": _term_row(0, term), "w": [w for p in plans for w in p.windows()]},
    )


async def entity_with_pages(
    reader: Reader, term: TermSpec, plans: Sequence[PagePlan]
) -> list[Found]:
    """``entity_rows`` as records."""
    return found_with_pages(await entity_rows(reader, term, plans), plans)


def found_with_pages(rows: Sequence[Row], plans: Sequence[PagePlan]) -> list[Found]:
    """The rows of ``entity_rows`` as records, each page with its neighbours."""
    found = []
    for row in rows:
        node = stored_node(row["label"], row["props"])
        pages: dict[RelationKey, Page[Edge]] = {}
        if len(rows) == 1:
            for key, result in raw_pages(row, plans).items():
                items = [i["edge"] for i in result["items"]]
                neighbours = tuple(stored_node(e["label"], e["neighbour"]) for e in items)
                ids = tuple(e["props"]["id"] for e in items)
                pages[key] = Page(result["total"], _edges(items), neighbours, ids)
        found.append(Found(node, pages))
    return found


def raw_pages(row: Row, plans: Sequence[PagePlan]) -> dict[RelationKey, Row]:
    """The pages (``{total, items}``) an entity's row holds, keyed as ``relations`` asks for
    them: the entity's and, below, its neighbours'. Each item is ``{edge, pages}``, the edge a
    map with its ``neighbour``'s properties and ``label``."""
    found: dict[RelationKey, Row] = {}
    _walk_pages(row["label"], row["props"]["id"], plans, row["pages"], found)
    return found


def _walk_pages(
    label: str,
    node_id: str,
    plans: Sequence[PagePlan],
    results: Sequence[Row],
    into: dict[RelationKey, Row],
) -> None:
    category = stored_category(label)
    for plan, result in zip(plans, results, strict=True):
        if category not in plan.categories:
            continue  # read as empty: the page is not this node's
        into[RelationKey(node_id, plan.types, plan.direction, plan.offset, plan.limit)] = result
        for item in result["items"]:
            edge = item["edge"]
            _walk_pages(edge["label"], edge["neighbour"]["id"], plan.children, item["pages"], into)


# -- studies and measurements ----------------------------------------------------------------


def _listed(values: Sequence[Any] | None) -> list[Any] | None:
    return [getattr(v, "value", v) for v in values] if values is not None else None


async def study_rows(
    reader: Reader,
    query: StudyQuery,
    *,
    order: StudyOrder,
    descending: bool,
    offset: int,
    limit: int,
) -> Row:
    """One page of the studies ``query`` asks for, in one statement, the ``investigates``
    term resolved in it: ``resolved`` (whether the term names something), ``total``, and
    ``page``, the stored properties of the page's studies (``study_page``: as records)."""
    term = query.investigates
    filters = {
        "designs": _listed(query.designs),
        "species": [s.lower() for s in query.species] if query.species is not None else None,
        "year_from": query.year_from,
        "year_to": query.year_to,
        "min_sample_size": query.min_sample_size,
        "max_sample_size": query.max_sample_size,
    }
    given = frozenset(name for name, value in filters.items() if value is not None)
    rows = await fetch(
        reader,
        queries.studies(order, descending, given, investigates=term is not None),
        {
            **filters,
            "terms": [_term_row(0, term)] if term is not None else [],
            "offset": offset,
            "limit": limit,
        },
    )
    return rows[0]


def study_page(row: Row) -> Page[Node]:
    """The studies of a ``study_rows`` row as records."""
    study = CATEGORIES[Category.STUDY].label
    return Page(row["total"], tuple(stored_node(study, p) for p in row["page"]))


async def measurements(
    reader: Reader,
    query: MeasurementQuery,
    *,
    order: MeasurementOrder,
    descending: bool,
    offset: int,
    limit: int,
) -> Page[Edge]:
    rows = await fetch(
        reader,
        queries.measurements(order, descending),
        {
            "compounds": _listed(query.compounds),
            "targets": _listed(query.targets),
            "measures": _listed(query.measures),
            "min": query.value_min,
            "max": query.value_max,
            "unit": query.unit.value if query.unit else None,
            "factors": {u.value: f for u, f in NANOMOLAR_FACTOR.items()},
            "assay": query.assay.lower() if query.assay else None,
            "species": [s.lower() for s in query.species] if query.species is not None else None,
            "offset": offset,
            "limit": limit,
        },
    )
    row = rows[0]
    return Page(row["total"], _edges(row["page"]))


# -- the questions ---------------------------------------------------------------------------


async def expand(reader: Reader, seeds: Sequence[str]) -> list[Anchor]:
    """Each seed with what it stands for (members, subclasses, outcome measures)."""
    rows = await fetch(reader, queries.EXPAND, {"seeds": list(dict.fromkeys(seeds))})
    return [Anchor(r["seed"], r["anchor"], r["length"], r["links"]) for r in rows]


def _design(value: str | None) -> StudyDesign | None:
    try:
        return StudyDesign(value) if value is not None else None
    except ValueError:  # a design this version does not know: graded as not stated
        return None


@dataclass(frozen=True)
class Connecting:
    """Connecting studies ranked by Neo4j: the total, at least the best ``wanted`` (with the
    rows whose rounded score the caller must settle; unsorted), and the links of those that
    may land on the page, by study id."""

    total: int
    items: tuple[StudyRank, ...]
    linked: Mapping[str, StudyLinks]


async def studies_connecting(
    reader: Reader,
    specs: Sequence[TermSpec],
    weights: Mapping[str, Any],
    *,
    offset: int,
    limit: int,
    with_paths: bool = True,
) -> tuple[list[list[TermMatch]], list[Anchor], Connecting]:
    """In one query: per term its matches (as ``resolve_terms``), every match with what it
    stands for (as ``expand`` orders them), and the studies linked to an anchor of every term,
    graded with ``weights`` and ranked in Neo4j, with the links (and the ways up from them) of
    the rows that may land on the page (read as empty when not ``with_paths``). A term that
    matches nothing: no studies."""
    rows = await fetch(
        reader,
        queries.studies_connecting(with_paths),
        {
            "terms": [_term_row(i, spec) for i, spec in enumerate(specs)],
            "w": dict(weights),
            "offset": offset,
            "wanted": max(offset + limit, 1),
        },
    )
    row = rows[0]
    anchors = {
        (match["props"]["id"], a[0]): Anchor(match["props"]["id"], a[0], a[1], a[2])
        for match in row["matches"]
        for a in match["anchors"]
    }
    study = CATEGORIES[Category.STUDY].label
    connecting = Connecting(
        row["total"],
        tuple(
            StudyRank(
                r["id"],
                _design(r["design"]),
                r["species"],
                r["sample_size"],
                r["year"],
                tuple(r["reached"]),
            )
            for r in row["rows"]
        ),
        {
            r["id"]: StudyLinks(
                stored_node(study, r["props"]),
                _edges(r["links"]),
                {(u["seed"], u["anchor"]): _edges(u["hops"]) for u in r["ups"]},
            )
            for r in row["linked"]
        },
    )
    return _matches(specs, row["matches"]), [anchors[key] for key in sorted(anchors)], connecting


async def paths(
    reader: Reader,
    source: str,
    target: str,
    *,
    max_hops: int,
    predicates: Sequence[Predicate] | None,
    via: Sequence[str],
    limit: int,
) -> list[GraphPath]:
    types = tuple(sorted({PREDICATES[p].rel_type for p in predicates})) if predicates else None
    rows = await fetch(
        reader,
        queries.paths(max_hops, types),
        {"source": source, "target": target, "via": list(via), "limit": limit},
    )
    return [GraphPath(tuple(r["ids"]), _edges(r["hops"])) for r in rows]


async def interactions(reader: Reader, entity: str) -> list[InteractionRow]:
    rows = await fetch(reader, queries.INTERACTIONS, {"id": entity})
    return [
        InteractionRow(r["perpetrator"], r["basis"], r["partner"], r["enzyme"], _edges(r["hops"]))
        for r in rows
    ]


async def pharmacology(reader: Reader, compound: str, targets: Sequence[str] | None) -> list[Edge]:
    rows = await fetch(
        reader,
        queries.PHARMACOLOGY,
        {"compound": compound, "targets": list(targets) if targets is not None else None},
    )
    return [edge_of(r["edge"]) for r in rows]


async def metabolism(reader: Reader, compound: str) -> list[SubstanceEdges]:
    rows = await fetch(reader, queries.METABOLISM, {"id": compound})
    return [SubstanceEdges(r["substance"], r["depth"], _edges(r["edges"])) for r in rows]
