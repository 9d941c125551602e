"""Loading, end to end: a source's records -> validation -> the Neo4j writer.

This is the one place that joins ``loaders/`` and ``graph/``; the CLI, the tests and the
benchmarks all load through it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph import version as graph_version
from graph.repository import all_xrefs
from graph.writer import Writer, WriteStats
from loaders import chembl, curated, gtopdb, registry
from loaders.base import Collector, Reject, ReleaseReader, SourceReader, nodes_then_edges
from loaders.errors import Location, Rejection
from loaders.tabular import read_id_map
from ontology.identity import IdentityConflictError, IdentityIndex
from ontology.records import Edge, Record
from ontology.vocab import Category

logger = logging.getLogger(__name__)

CURATED = "curated"


@dataclass
class LoadReport:
    records: int = 0
    write: WriteStats = field(default_factory=WriteStats)
    rejections: list[Rejection] = field(default_factory=list)
    dry_run: bool = False
    scope: str | None = None  # the source and dataset the load stated (graph.retract)


# The keyword under which each source takes its identifier map (--map FILE).
MAP_KEYWORDS = {
    "chembl": "target_map",
    "chembl-tsv": "target_map",
    "pubmed": "chemical_map",
    "clinicaltrials": "intervention_map",
    "gtopdb": "ligand_map",
}


@dataclass(frozen=True)
class SourceOptions:
    """What a user can tell a source's loader from the command line."""

    id_map: Path | None = None
    document_map: Path | None = None
    category: Category | None = None
    source_version: str | None = None
    dataset: str | None = None  # the scope's dataset name; default: the files' names


def scope_of(source: str, paths: Iterable[Path], dataset: str | None = None) -> str:
    """The scope a load states (see ``graph.retract``): its source and its dataset.

    The curated dataset is one scope wherever its directory is; a file source's dataset is its
    files' names (a new release of ``interactions.csv`` replaces the old one) unless named.
    """
    if source == CURATED:
        return CURATED if dataset is None else f"{CURATED}:{dataset}"
    name = dataset or "+".join(sorted(path.name for path in paths))
    return f"{source}:{name}"


def _is_curated(scope: str | None) -> bool:
    """The curated dataset owns what it states on a shared node (docs/model.md)."""
    return scope is not None and scope.split(":", 1)[0] == CURATED


def source_and_files(source: str, files: list[Path]) -> tuple[str, list[Path]]:
    """What ``pharmakg load SOURCE FILES`` means when SOURCE may be a file: the source named,
    else the one the files are from (a directory is a curated dataset)."""
    if source == CURATED or source in registry.SOURCES:
        return source, files
    first = Path(source)
    if not first.exists():
        raise registry.UnknownSourceError(
            f"{source!r} is neither a source name nor a file; name one of: {CURATED}, "
            f"{', '.join(registry.SOURCES)}; or give files to guess the source from"
        )
    paths = [first, *files]
    if first.is_dir():
        return CURATED, paths
    return registry.source_of_files(paths), paths


def reader_for(source: str, options: SourceOptions | None = None) -> SourceReader:
    """The loader for ``source`` (a name, or ``curated``) with the user's options bound."""
    if source == CURATED:
        return curated.iter_records
    options = options or SourceOptions()
    keywords: dict[str, Any] = {}
    if options.id_map is not None:
        if source not in MAP_KEYWORDS:
            raise ValueError(
                f"--map is not used by {source!r}; it is for {', '.join(sorted(MAP_KEYWORDS))}"
            )
        read = gtopdb.read_ligand_map if source == "gtopdb" else read_id_map
        keywords[MAP_KEYWORDS[source]] = read(options.id_map)
    if options.document_map is not None:
        keywords["document_map"] = chembl.read_document_map(options.document_map)
    if options.category is not None:
        keywords["category"] = options.category
    if options.source_version is not None:
        keywords["source_version"] = options.source_version
    return registry.reader(source, **keywords)


Located = tuple[Record, Location]
Seen = dict[str, tuple[str, Location]]  # record id -> (content hash, where it was read)


def stream(
    reader: SourceReader, paths: Iterable[Path], collector: Collector, report: LoadReport
) -> Iterator[Located]:
    """Each record with where it was read, every node of every file before any edge
    (``nodes_then_edges``), so no edge waits for a node that comes later in the load."""
    files = list(paths)

    def read(reject: Reject) -> Iterator[Located]:
        # The reader tells a Collector where each record is; a second pass (reject dropping
        # what the first reported) gets a Collector of its own, whose rejections are dropped.
        sink = reject if isinstance(reject, Collector) else Collector()
        if isinstance(reader, ReleaseReader):  # a release's files are read together
            yield from _located(reader.read_files(files, sink), files[0], sink, reject)
            return
        for path in files:
            yield from _located(reader(path, sink), path, sink, reject)

    for item in nodes_then_edges(read, collector, record=itemgetter(0)):
        report.records += 1
        yield item


def _located(
    records: Iterator[Record], path: Path, sink: Collector, reject: Reject
) -> Iterator[Located]:
    """Each record with the reader's location, else its file and ordinal (``#N``); a non-empty
    file that gives no record and no reason why is reported, not passed (an empty directory or
    file states nothing: a snapshot load of it retracts what its scope stated)."""
    rejected = len(sink.rejections)
    ordinal = 0
    for ordinal, record in enumerate(records, start=1):
        yield record, sink.location_of(record) or Location(path, record=f"#{ordinal}")
    logger.info("%s: %d records read, %d rejected", path, ordinal, len(sink.rejections) - rejected)
    if not ordinal and len(sink.rejections) == rejected and _has_content(path):
        reject(
            Rejection(
                Location(path),
                "(file)",
                "no records read: the file holds nothing this source's loader reads",
            )
        )


def _has_content(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def resolve(
    records: Iterable[Located], index: IdentityIndex, collector: Collector, seen: Seen | None = None
) -> Iterator[Record]:
    """Canonical ids for every record; one id seen twice with different data is rejected.

    ``seen`` keeps each id's content hash and location, so a later rejection (a second copy, a
    write that fails) can name the file and line or record it came from.
    """
    seen = {} if seen is None else seen
    for record, where in records:
        if isinstance(record, Edge):
            edge = index.resolve_edge(record)
            if edge is not record:
                logger.debug(
                    "%s: %s -> %s rewritten to canonical ids %s -> %s",
                    where,
                    record.subject,
                    record.object,
                    edge.subject,
                    edge.object,
                )
            if _repeated_with_other_data(seen, edge.id, edge.digest, collector, where):
                continue
            yield edge
            continue
        try:
            node = index.resolve_node(record)
        except IdentityConflictError as error:
            collector(Rejection(where, "xrefs", str(error)))
            continue
        if node.id != record.id or node.category is not record.category:
            logger.debug(
                "%s: %s (%s) merged into %s (%s)",
                where,
                record.id,
                record.category.value,
                node.id,
                node.category.value,
            )
        if _repeated_with_other_data(seen, node.id, node.digest, collector, where):
            continue
        yield node


def _repeated_with_other_data(
    seen: Seen, key: str, digest: str, collector: Collector, where: Location
) -> bool:
    """True (and reported) when ``key`` was already loaded with different properties (their
    digest, computed once on the record and used again by the writer)."""
    first_digest, first_where = seen.setdefault(key, (digest, where))
    if first_digest == digest:
        return False
    collector(
        Rejection(
            where,
            "id",
            f"{key} was already read at {first_where} with different data; the first one is kept",
        )
    )
    return True


def identity_index(
    driver: Driver | None, database: str | None = None, *, authoritative: bool = False
) -> IdentityIndex:
    """What the graph already knows, so a new source's ids land on existing nodes."""
    index = IdentityIndex(authoritative=authoritative)
    if driver is not None:
        for curie, xrefs, category in all_xrefs(driver, database=database):
            index.add(curie, xrefs, category)
    logger.debug("identity index: %d known identifiers", len(index))
    return index


def validated_records(
    source: str, paths: list[Path], collector: Collector, options: SourceOptions | None = None
) -> Iterator[Record]:
    """One source's records, identity-resolved, for a path that does not go through Bolt."""
    return resolve(
        stream(reader_for(source, options), paths, collector, LoadReport()),
        IdentityIndex(),
        collector,
    )


def load(
    driver: Driver | None,
    source: str,
    paths: list[Path],
    *,
    strict: bool = False,
    dry_run: bool = False,
    atomic: bool = True,
    batch_size: int = 5000,
    start_at: int = 0,
    database: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    options: SourceOptions | None = None,
    additive: bool = False,
) -> LoadReport:
    """Validate (and unless ``dry_run``, write) one source's files; report what happened.

    The files are the source's whole statement (a snapshot): what the same source and dataset
    stated before and no longer states is retracted at the end. ``additive`` keeps it (a
    partial file that adds to what is loaded).
    """
    collector = Collector(strict=strict)
    scope = scope_of(source, paths, options.dataset if options else None)
    report = LoadReport(dry_run=dry_run, scope=scope)
    located = stream(reader_for(source, options), paths, collector, report)
    return _load_located(
        driver,
        located,
        collector,
        report,
        atomic=atomic,
        batch_size=batch_size,
        start_at=start_at,
        database=database,
        on_progress=on_progress,
        additive=additive,
    )


def load_records(
    driver: Driver,
    records: Iterable[Record],
    *,
    scope: str,
    origin: Path,
    batch_size: int = 5000,
    database: str | None = None,
    additive: bool = False,
) -> LoadReport:
    """Records made in memory (the load benchmark's synthetic graph) loaded as ``load`` loads
    a source's files: identity resolution against the graph, the repeated-id check, the
    writer with its scope (a snapshot unless ``additive``) and the graph version bump. Each
    record's location is ``origin`` and its ordinal."""
    collector = Collector()
    report = LoadReport(scope=scope)

    def located() -> Iterator[Located]:
        for ordinal, record in enumerate(records, start=1):
            report.records += 1
            yield record, Location(origin, record=f"#{ordinal}")

    return _load_located(
        driver,
        located(),
        collector,
        report,
        batch_size=batch_size,
        database=database,
        additive=additive,
    )


def _load_located(
    driver: Driver | None,
    located: Iterable[Located],
    collector: Collector,
    report: LoadReport,
    *,
    atomic: bool = True,
    batch_size: int = 5000,
    start_at: int = 0,
    database: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    additive: bool = False,
) -> LoadReport:
    seen: Seen = {}
    authoritative = _is_curated(report.scope)
    index = identity_index(driver, database, authoritative=authoritative)
    records = resolve(located, index, collector, seen)
    if report.dry_run or driver is None:
        for _ in records:
            if on_progress:
                on_progress(report.records)
    else:
        writer = Writer(
            driver,
            database=database,
            batch_size=batch_size,
            on_reject=_edge_rejecter(collector, seen),
            on_progress=on_progress,
            scope=report.scope,
            snapshot=not additive,
            authoritative=authoritative,
        )
        with graph_version.bumped(driver, database):  # cached answers become unreachable
            report.write = writer.write(records, atomic=atomic, start_at=start_at)
        _log_write(report)
    report.rejections = collector.rejections
    return report


def _log_write(report: LoadReport) -> None:
    stats = report.write
    for counts, kind in ((stats.nodes, "nodes"), (stats.edges, "edges")):
        logger.info(
            "%s: %s created %d, updated %d, unchanged %d",
            report.scope,
            kind,
            counts.created,
            counts.updated,
            counts.unchanged,
        )
    for retraction in stats.retracted:
        logger.info("%s: retracted %s", report.scope, retraction)
    for separate in stats.separate:
        logger.info("%s: %s", report.scope, separate)


def _edge_rejecter(collector: Collector, seen: Seen) -> Callable[[Edge, str], None]:
    def reject(edge: Edge, reason: str) -> None:
        where = (
            seen[edge.id][1]
            if edge.id in seen
            else Location(Path(edge.provenance.primary_knowledge_source), record=edge.id)
        )
        field_name = "object" if reason.startswith("object") else "subject"
        collector(
            Rejection(
                where,
                field_name,
                f"{edge.predicate.value} {edge.subject} -> {edge.object}: {reason}",
            )
        )

    return reject
