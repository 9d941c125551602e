"""The batched, idempotent writer: records in, one UNWIND query per label or type per batch.

Atomicity (see docs/model.md):
- ``atomic=True``: the whole run is one transaction; a failure leaves the graph as it was.
- ``atomic=False`` (large loads): each batch of ``batch_size`` records is one transaction. A
  failure raises ``WriteError`` whose ``position`` is the number of records committed, in stream
  order; ``start_at=position`` resumes. Reloading is idempotent either way, so re-running the
  whole load is always safe too.

A load's stream holds every node before any edge (``api.pipeline.stream``), so a rejected
endpoint is one that is in neither the graph nor the load.

Reading the stream and building the rows of the next batch happen in a helper thread while
Neo4j writes the current one (a bounded hand-off: at most two batches wait), so the loader's
Python work and the server's work overlap.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from neo4j import Driver, ManagedTransaction, Transaction
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph.cypher import writes as cypher
from graph.errors import GraphUnavailableError, WriteError
from graph.retract import Retraction, retract_stale
from ontology.records import Edge, Node, Record
from ontology.vocab import PREDICATES, Category, Predicate, category_of_label

logger = logging.getLogger(__name__)

Tx = Transaction | ManagedTransaction
Progress = Callable[[int], None]
RejectEdge = Callable[[Edge, str], None]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.created += row["created"]
        self.updated += row["updated"]
        self.unchanged += row["unchanged"]

    def merge(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class WriteStats:
    nodes: Counts = field(default_factory=Counts)
    edges: Counts = field(default_factory=Counts)
    rejected: int = 0
    position: int = 0  # records consumed from the stream, committed or rejected
    retracted: list[Retraction] = field(default_factory=list)
    separate: list[Separate] = field(default_factory=list)


@dataclass(frozen=True)
class Separate:
    """A node written whose cross-references name another node: one entity, two nodes."""

    id: str
    other: str
    label: str
    sources: tuple[str, ...]

    def __str__(self) -> str:
        made_by = ", ".join(self.sources) or "an earlier load"
        return (
            f"{self.id} lists {self.other} among its cross-references, but {self.other} is "
            f"a separate node ({self.label}, from {made_by}): one entity, two nodes. "
            f"Reload the source of {self.other} to move its statements onto {self.id}"
        )


def _drop_empty_lists(props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j's importer cannot store an empty list, so no path stores one: absent means empty."""
    for key in [k for k, v in props.items() if isinstance(v, list) and not v]:
        del props[key]
    return props


def node_row(node: Node) -> dict[str, Any]:
    """The query row of a node: its properties and their digest, as the node computed them
    once (``Node.stored``, ``Node.digest``), whichever path asked first."""
    props = node.properties()
    xrefs, synonyms = props.pop("xrefs"), props.pop("synonyms")
    return {
        "id": node.id,
        "props": _drop_empty_lists(props),
        "xrefs": xrefs,
        "synonyms": synonyms,
        "source": node.source,
        "hash": node.digest,
    }


def edge_row(edge: Edge) -> dict[str, Any]:
    """The query row of an edge (its id, properties and digest computed once on the edge)."""
    props = edge.properties()
    return {
        "id": edge.id,
        "subject": edge.subject,
        "object": edge.object,
        "props": _drop_empty_lists(props),
        "hash": edge.digest,
    }


@dataclass
class _Batch:
    """A batch with its query rows built: what the helper thread hands to the writer."""

    nodes: dict[Category, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    edges: dict[Predicate, list[tuple[Edge, dict[str, Any]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    size: int = 0

    def add(self, record: Record) -> None:
        if isinstance(record, Node):
            self.nodes[record.category].append(node_row(record))
        else:
            self.edges[record.predicate].append((record, edge_row(record)))
        self.size += 1


@dataclass
class _Outcome:
    """What one batch did; applied to the stats only once its transaction committed."""

    nodes: Counts = field(default_factory=Counts)
    edges: Counts = field(default_factory=Counts)
    rejected: list[tuple[Edge, str]] = field(default_factory=list)
    separate: list[Separate] = field(default_factory=list)


class Writer:
    """Writes a stream of records; one instance per load.

    ``scope`` (a source and dataset, see ``graph.retract``) is stamped on what the load writes;
    with ``snapshot`` the load is the scope's whole statement and what the scope stated before
    and no longer states is retracted at its end. Without a scope nothing is stamped. An
    ``authoritative`` scope (the curated dataset) owns every node it states; another scope owns
    only the nodes it stated first (``graph.cypher.writes.upsert_nodes``).
    """

    def __init__(
        self,
        driver: Driver,
        *,
        database: str | None = None,
        batch_size: int = 5000,
        on_reject: RejectEdge | None = None,
        on_progress: Progress | None = None,
        scope: str | None = None,
        snapshot: bool = False,
        authoritative: bool = False,
    ) -> None:
        if snapshot and scope is None:
            raise ValueError("a snapshot load needs a scope (its source and dataset)")
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.on_reject = on_reject
        self.on_progress = on_progress
        self.scope = scope
        self.snapshot = snapshot
        self.authoritative = authoritative
        self.stats = WriteStats()
        self._kept_nodes: set[str] = set()
        self._kept_edges: set[str] = set()

    def write(
        self, records: Iterable[Record], *, atomic: bool = False, start_at: int = 0
    ) -> WriteStats:
        try:
            if atomic:
                self._write_atomic(records)
            else:
                self._write_batched(records, start_at)
        except (ServiceUnavailable, SessionExpired) as error:
            raise GraphUnavailableError(
                f"Neo4j became unavailable during the load: {error}"
            ) from error
        logger.info(
            "load written (scope %s, %s): nodes %s; edges %s; %d edges rejected",
            self.scope,
            "atomic" if atomic else f"batches of {self.batch_size}",
            self.stats.nodes,
            self.stats.edges,
            self.stats.rejected,
        )
        return self.stats

    def _write_atomic(self, records: Iterable[Record]) -> None:
        with (
            self.driver.session(database=self.database) as session,
            session.begin_transaction() as tx,
            _Prefetch(self._batches(records, start_at=0)) as batches,
        ):
            for batch in batches:
                self._apply(self._flush(tx, batch))
            if self.snapshot:
                self.stats.retracted = self._retract(tx)
                self._forget_merged()
            tx.commit()

    def _write_batched(self, records: Iterable[Record], start_at: int) -> None:
        self.stats.position = start_at
        with (
            self.driver.session(database=self.database) as session,
            _Prefetch(self._batches(records, start_at)) as batches,
        ):
            for batch in batches:
                try:
                    outcome = session.execute_write(self._flush, batch)
                except Neo4jError as error:
                    raise WriteError(
                        f"batch starting at record {self.stats.position} failed: {error}; "
                        f"records before it are committed; resume with "
                        f"--start-at {self.stats.position}",
                        position=self.stats.position,
                    ) from error
                self._apply(outcome)
                self.stats.position += batch.size
                if self.on_progress:
                    self.on_progress(self.stats.position)
            if self.snapshot:  # only once every batch is in
                self.stats.retracted = session.execute_write(self._retract)
                self._forget_merged()

    def _retract(self, tx: Tx) -> list[Retraction]:
        assert self.scope is not None  # checked in __init__
        return retract_stale(tx, self.scope, self._kept_edges, self._kept_nodes)

    def _forget_merged(self) -> None:
        """A separate node this load's retraction deleted is one node again (a reload of the
        source that made it moved its statements onto the node that names it)."""
        gone = {r.id for r in self.stats.retracted if r.kind == "node" and r.deleted}
        self.stats.separate = [s for s in self.stats.separate if s.other not in gone]

    def _batches(self, records: Iterable[Record], start_at: int) -> Iterator[_Batch]:
        batch = _Batch()
        for index, record in enumerate(records):
            if self.snapshot:  # records before start_at were written by the resumed load
                kept = self._kept_nodes if isinstance(record, Node) else self._kept_edges
                kept.add(record.id)
            if index < start_at:
                continue
            batch.add(record)
            if batch.size >= self.batch_size:
                yield batch
                batch = _Batch()
        if batch.size:
            yield batch

    def _flush(self, tx: Tx, batch: _Batch) -> _Outcome:
        """Write one batch; a retried transaction starts again from a fresh outcome."""
        outcome = _Outcome()
        # Nodes first, so that edges in the same batch find their endpoints.
        for category, rows in batch.nodes.items():
            result = tx.run(
                cypher.upsert_nodes(category),
                rows=rows,
                scope=self.scope,
                authoritative=self.authoritative,
            )
            record = result.single(strict=True)
            outcome.nodes.add(record.data("created", "updated", "unchanged"))
            outcome.separate += [
                Separate(r["id"], r["other"], r["label"], tuple(r["sources"]))
                for r in record["separate"]
            ]
        for predicate, pairs in batch.edges.items():
            result = tx.run(
                cypher.upsert_edges(predicate), rows=[row for _, row in pairs], scope=self.scope
            )
            record = result.single(strict=True)
            outcome.edges.add(record.data("created", "updated", "unchanged"))
            outcome.rejected += _rejections(predicate, pairs, record["rejected"])
        return outcome

    def _apply(self, outcome: _Outcome) -> None:
        logger.debug(
            "batch written: nodes %s; edges %s; %d rejected",
            outcome.nodes,
            outcome.edges,
            len(outcome.rejected),
        )
        self.stats.nodes.merge(outcome.nodes)
        self.stats.edges.merge(outcome.edges)
        self.stats.rejected += len(outcome.rejected)
        self.stats.separate += outcome.separate
        for edge, reason in outcome.rejected:
            self._kept_edges.discard(edge.id)  # not written: a fresh load would not hold it
            if self.on_reject:
                self.on_reject(edge, reason)


def _rejections(
    predicate: Predicate, pairs: list[tuple[Edge, dict[str, Any]]], rejected: list[dict[str, Any]]
) -> list[tuple[Edge, str]]:
    """Why each rejected row was rejected, in stream order."""
    if not rejected:
        return []
    found = {r["id"]: r for r in rejected}
    info = PREDICATES[predicate]
    problems = []
    for edge, row in pairs:
        if row["id"] in found:
            labels = {
                curie: label
                for curie, label in (
                    (edge.subject, found[row["id"]]["subject"]),
                    (edge.object, found[row["id"]]["object"]),
                )
                if label is not None
            }
            problem = _endpoint_problem(edge, labels, info.domain, info.range)
            problems.append((edge, problem or "rejected by the database"))
    return problems


def missing_endpoint(role: str, curie: str) -> str:
    """Why an edge whose ``role`` endpoint is absent is rejected (the bulk import says it too)."""
    return (
        f"{role} {curie} is neither in the graph nor a node of this load; load the source "
        "that defines it, then this one again"
    )


def _endpoint_problem(
    edge: Edge, labels: dict[str, str], domain: frozenset[Category], range_: frozenset[Category]
) -> str | None:
    for role, curie, allowed in (
        ("subject", edge.subject, domain),
        ("object", edge.object, range_),
    ):
        label = labels.get(curie)
        if label is None:
            return missing_endpoint(role, curie)
        category = category_of_label(label)
        if category not in allowed:
            names = ", ".join(sorted(c.value for c in allowed))
            return f"{role} {curie} is a {category.value}, but {edge.predicate.value} takes {names}"
    return None


_DONE = object()


@dataclass(frozen=True)
class _Failure:
    error: Exception


class _Prefetch:
    """Runs an iterator in a helper thread, ``depth`` items ahead; re-raises its errors in order.

    Used as a context manager: leaving it (normally or on an error) stops the helper, which
    then reads no further from the source.
    """

    def __init__(self, source: Iterator[_Batch], depth: int = 1) -> None:
        self._source = source
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="writer-prefetch", daemon=True)

    def __enter__(self) -> Iterator[_Batch]:
        self._thread.start()
        return self._consume()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        while self._thread.is_alive():
            self._drain()
            self._thread.join(timeout=0.05)

    def _drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def _produce(self) -> None:
        try:
            for item in self._source:
                if not self._put(item):
                    return
        except Exception as error:  # handed to the consumer, raised there in stream order
            self._put(_Failure(error))
            return
        self._put(_DONE)

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
            except queue.Full:
                continue
            return True
        return False

    def _consume(self) -> Iterator[_Batch]:
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            assert isinstance(item, _Batch)
            yield item


def write(driver: Driver, records: Iterable[Record], **options: Any) -> WriteStats:
    """Convenience: ``Writer(driver, ...).write(records, atomic=..., start_at=...)``."""
    write_options = {k: options.pop(k) for k in ("atomic", "start_at") if k in options}
    return Writer(driver, **options).write(records, **write_options)
