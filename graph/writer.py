"""The batched, idempotent writer: records in, one UNWIND query per label or type per batch.

Atomicity (see docs/model.md):
- ``atomic=True``: the whole run is one transaction; a failure leaves the graph as it was.
- ``atomic=False`` (large loads): each batch of ``batch_size`` records is one transaction. A
  failure raises ``WriteError`` whose ``position`` is the number of records committed, in stream
  order; ``start_at=position`` resumes. Reloading is idempotent either way, so re-running the
  whole load is always safe too.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, ManagedTransaction, Transaction
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph import cypher
from graph.errors import GraphUnavailableError, WriteError
from ontology.records import Edge, Node, Record
from ontology.vocab import PREDICATES, Category, Predicate, category_of_label

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

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class WriteStats:
    nodes: Counts = field(default_factory=Counts)
    edges: Counts = field(default_factory=Counts)
    rejected: int = 0
    position: int = 0  # records consumed from the stream, committed or rejected


def content_hash(props: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(props, sort_keys=True, default=str).encode()).hexdigest()[:24]


def node_row(node: Node) -> dict[str, Any]:
    props = node.properties()
    xrefs, synonyms = props.pop("xrefs"), props.pop("synonyms")
    return {"id": node.id, "props": props, "xrefs": xrefs, "synonyms": synonyms,
            "source": node.source, "hash": content_hash(node.properties())}


def edge_row(edge: Edge) -> dict[str, Any]:
    props = edge.properties()
    return {"id": edge.id, "subject": edge.subject, "object": edge.object, "props": props,
            "hash": content_hash(props)}


@dataclass
class _Batch:
    nodes: dict[Category, list[Node]] = field(default_factory=lambda: defaultdict(list))
    edges: dict[Predicate, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    size: int = 0

    def add(self, record: Record) -> None:
        if isinstance(record, Node):
            self.nodes[record.category].append(record)
        else:
            self.edges[record.predicate].append(record)
        self.size += 1


class Writer:
    """Writes a stream of records; one instance per load."""

    def __init__(self, driver: Driver, *, database: str | None = None, batch_size: int = 5000,
                 on_reject: RejectEdge | None = None, on_progress: Progress | None = None) -> None:
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.on_reject = on_reject
        self.on_progress = on_progress
        self.stats = WriteStats()

    def write(self, records: Iterable[Record], *, atomic: bool = False,
              start_at: int = 0) -> WriteStats:
        try:
            if atomic:
                self._write_atomic(records)
            else:
                self._write_batched(records, start_at)
        except (ServiceUnavailable, SessionExpired) as error:
            raise GraphUnavailableError(f"Neo4j became unavailable during the load: {error}"
                                        ) from error
        return self.stats

    def _write_atomic(self, records: Iterable[Record]) -> None:
        with self.driver.session(database=self.database) as session, \
                session.begin_transaction() as tx:
            for batch in self._batches(records, start_at=0):
                self._flush(tx, batch)
            tx.commit()

    def _write_batched(self, records: Iterable[Record], start_at: int) -> None:
        self.stats.position = start_at
        with self.driver.session(database=self.database) as session:
            for batch in self._batches(records, start_at):
                try:
                    session.execute_write(self._flush, batch)
                except Neo4jError as error:
                    raise WriteError(
                        f"batch starting at record {self.stats.position} failed: {error}; "
                        f"records before it are committed; resume with "
                        f"--start-at {self.stats.position}",
                        position=self.stats.position,
                    ) from error
                self.stats.position += batch.size
                if self.on_progress:
                    self.on_progress(self.stats.position)

    def _batches(self, records: Iterable[Record], start_at: int) -> Iterable[_Batch]:
        batch = _Batch()
        for index, record in enumerate(records):
            if index < start_at:
                continue
            batch.add(record)
            if batch.size >= self.batch_size:
                yield batch
                batch = _Batch()
        if batch.size:
            yield batch

    def _flush(self, tx: Tx, batch: _Batch) -> None:
        # Nodes first, so that edges in the same batch find their endpoints.
        for category, nodes in batch.nodes.items():
            rows = [node_row(n) for n in nodes]
            result = tx.run(cypher.upsert_nodes(category), rows=rows)
            self.stats.nodes.add(result.single(strict=True).data())
        for predicate, edges in batch.edges.items():
            valid = self._valid_edges(tx, predicate, edges)
            if valid:
                rows = [edge_row(e) for e in valid]
                result = tx.run(cypher.upsert_edges(predicate), rows=rows)
                self.stats.edges.add(result.single(strict=True).data())

    def _valid_edges(self, tx: Tx, predicate: Predicate, edges: list[Edge]) -> list[Edge]:
        """Drop (and report) edges whose endpoints are missing or of the wrong category."""
        ids = sorted({e.subject for e in edges} | {e.object for e in edges})
        labels = {r["id"]: r["label"] for r in tx.run(cypher.ENDPOINT_LABELS, ids=ids)}
        info = PREDICATES[predicate]
        valid = []
        for edge in edges:
            problem = _endpoint_problem(edge, labels, info.domain, info.range)
            if problem is None:
                valid.append(edge)
            else:
                self.stats.rejected += 1
                if self.on_reject:
                    self.on_reject(edge, problem)
        return valid


def _endpoint_problem(edge: Edge, labels: dict[str, str], domain: frozenset[Category],
                      range_: frozenset[Category]) -> str | None:
    for role, curie, allowed in (("subject", edge.subject, domain),
                                 ("object", edge.object, range_)):
        label = labels.get(curie)
        if label is None:
            return f"{role} {curie} is not in the graph (load its node first)"
        category = category_of_label(label)
        if category not in allowed:
            names = ", ".join(sorted(c.value for c in allowed))
            return (f"{role} {curie} is a {category.value}, but {edge.predicate.value} "
                    f"takes {names}")
    return None


def write(driver: Driver, records: Iterable[Record], **options: Any) -> WriteStats:
    """Convenience: ``Writer(driver, ...).write(records, atomic=..., start_at=...)``."""
    write_options = {k: options.pop(k) for k in ("atomic", "start_at") if k in options}
    return Writer(driver, **options).write(records, **write_options)
