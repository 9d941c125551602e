"""The bulk path: records -> ``neo4j-admin database import full`` CSVs -> an offline import.

For a first load of millions of records into an empty database. Three steps:

1. ``write_csvs``: stream the records into one CSV per label and per relationship type, in
   constant memory, with the same properties the batched writer stores (the rows come from
   ``graph.writer.node_row`` / ``edge_row``, so ids and ``content_hash`` are the same);
2. ``import_into``: stop the local server, run the import (``--overwrite-destination``: the
   database is replaced), start the server again;
3. ``finish_bulk_load``: what the importer does not check, done in the database before the
   schema goes on: relationships whose endpoints are of the wrong category are deleted and
   reported (the batched writer rejects them), copies of one edge id are reduced to one; then
   ``graph.schema.apply_schema``.

``bulk_load`` runs steps 1 and 2. Nothing is silently dropped: relationships whose endpoint is
missing and nodes defined twice come back from the importer's report file as rejections.

All or nothing: the import either produces the whole graph or fails; on failure the half
written store is removed and the server starts on an empty database.
"""

from __future__ import annotations

import json
import logging
import math
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import NoneType, UnionType
from typing import IO, Annotated, Any, Union, get_args, get_origin

from neo4j import Driver, ManagedTransaction

from graph import server
from graph import version as graph_version
from graph.cypher import ENTITY
from graph.cypher import writes as cypher
from graph.errors import GraphError, ServerError
from graph.schema import apply_schema
from graph.writer import edge_row, missing_endpoint, node_row
from ontology.fields import FieldSpec, edge_property_fields, node_property_fields
from ontology.records import ATTRIBUTE_FIELDS, Edge, Node, Provenance, Record
from ontology.vocab import (
    CATEGORIES,
    PREDICATES,
    Category,
    Predicate,
    category_of_label,
    predicate_of_type,
)

logger = logging.getLogger(__name__)

# U+001F (unit separator) between array elements: no identifier, name or citation contains it,
# and a record whose list would is rejected rather than split wrongly.
ARRAY_DELIMITER = "\x1f"
ID_SPACE = ENTITY
MANIFEST = "manifest.json"
REPORT_FILE = "import.report"


class BulkError(GraphError):
    """The bulk import could not run, or failed (the database is then empty)."""


# -- columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the property name
    kind: str  # the importer's type: string, long, double, boolean, string[]

    @property
    def header(self) -> str:
        return self.key if self.kind == "string" else f"{self.key}:{self.kind}"


def neo4j_type(annotation: Any) -> str:
    """The importer's type for a record field's annotation (Optional and Annotated unwrapped)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return neo4j_type(get_args(annotation)[0])
    if origin in (Union, UnionType):
        (inner,) = (a for a in get_args(annotation) if a is not NoneType)
        return neo4j_type(inner)
    if origin is tuple:
        return f"{neo4j_type(get_args(annotation)[0])}[]"
    kinds: dict[Any, str] = {bool: "boolean", int: "long", float: "double"}
    return kinds.get(annotation, "string")


# The type of each declared property's value, from the record that holds it.
_NODE_TYPES = {name: info.annotation for name, info in Node.model_fields.items()}
_EDGE_TYPES = {
    name: info.annotation
    for model in (Edge, Provenance)
    for name, info in model.model_fields.items()
}


def _column(spec: FieldSpec, types: dict[str, Any]) -> Column:
    return Column(spec.name, neo4j_type(types[spec.name]))


def node_columns(category: Category) -> list[Column]:
    """Every property a node of ``category`` may have, after ``id`` (the ID column): the
    declared fields (``ontology.fields.node_property_fields``) the category may carry."""
    allowed = CATEGORIES[category].attributes
    return [
        *(
            _column(spec, _NODE_TYPES)
            for spec in node_property_fields()
            if spec.name not in ATTRIBUTE_FIELDS or spec.name in allowed
        ),
        Column("sources", "string[]"),
        Column("loaded_by", "string[]"),
        Column("content_hash", "string"),
    ]


def edge_columns() -> list[Column]:
    """Every property an edge may have: id, predicate, the declared fields
    (``ontology.fields.edge_property_fields``: its own, its provenance's), and the hash."""
    return [
        Column("id", "string"),
        Column("predicate", "string"),
        *(_column(spec, _EDGE_TYPES) for spec in edge_property_fields()),
        Column("loaded_by", "string[]"),
        Column("content_hash", "string"),
    ]


@cache
def node_header(category: Category) -> str:
    columns = [f"id:ID({ID_SPACE})", ":LABEL", *(c.header for c in node_columns(category))]
    return ",".join(columns)


@cache
def edge_header() -> str:
    columns = [
        f":START_ID({ID_SPACE})",
        f":END_ID({ID_SPACE})",
        ":TYPE",
        *(c.header for c in edge_columns()),
    ]
    return ",".join(columns)


# -- cells -----------------------------------------------------------------------------------


class UnwritableError(ValueError):
    """A value the importer would read back differently; the record is rejected."""


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def _array(values: list[Any]) -> str:
    if values == [""]:
        raise UnwritableError("a list holding one empty string reads back as no list")
    for value in values:
        if not isinstance(value, str):
            raise UnwritableError(f"list element {value!r} is not a string")
        if ARRAY_DELIMITER in value:
            raise UnwritableError(f"list element {value!r} contains the array delimiter U+001F")
    return _quoted(ARRAY_DELIMITER.join(values))


def cell(value: Any) -> str:
    """One CSV field: strings always quoted (so "" is an empty string), None left empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, list):
        return _array(value)
    raise UnwritableError(f"cannot write {type(value).__name__} value {value!r}")


def node_line(node: Node, scope: str | None = None) -> str:
    """A node's CSV line, with the properties ``graph.writer`` stores for it under ``scope``."""
    row = node_row(node)
    props = dict(row["props"])
    props.pop("id")
    props.update(
        synonyms=row["synonyms"] or None,
        xrefs=row["xrefs"] or None,
        sources=[row["source"]],
        loaded_by=[scope] if scope else None,
        content_hash=row["hash"],
    )
    labels = f"{CATEGORIES[node.category].label}{ARRAY_DELIMITER}{ID_SPACE}"
    cells = [cell(node.id), cell(labels), *_cells(props, _NODE_COLUMNS[node.category])]
    return ",".join(cells) + "\n"


def edge_line(edge: Edge, scope: str | None = None) -> str:
    """An edge's CSV line, with the properties ``graph.writer`` stores for it under ``scope``."""
    row = edge_row(edge)
    props = dict(row["props"])
    props.update(loaded_by=[scope] if scope else None, content_hash=row["hash"])
    cells = [
        cell(edge.subject),
        cell(edge.object),
        cell(PREDICATES[edge.predicate].rel_type),
        *_cells(props, _EDGE_COLUMNS),
    ]
    return ",".join(cells) + "\n"


def _cells(props: dict[str, Any], keys: list[str]) -> list[str]:
    cells = [cell(props.pop(key, None)) for key in keys]
    if props:
        raise UnwritableError(f"properties without a column: {', '.join(sorted(props))}")
    return cells


_NODE_COLUMNS = {category: [c.key for c in node_columns(category)] for category in Category}
_EDGE_COLUMNS = [c.key for c in edge_columns()]


# -- writing the CSVs ------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkRejection:
    kind: str  # "record" (not writable), "edge" (endpoint missing or of the wrong category)
    key: str  # the node id, or "subject -[TYPE]-> object"
    reason: str

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.reason}"


@dataclass
class CsvSet:
    """The CSV files of one import, as ``write_csvs`` left them (also in ``manifest.json``)."""

    directory: Path
    node_files: dict[str, int] = field(default_factory=dict)  # file name -> rows
    edge_files: dict[str, int] = field(default_factory=dict)
    multiline_files: list[str] = field(default_factory=list)
    rejected: list[BulkRejection] = field(default_factory=list)

    @property
    def nodes(self) -> int:
        return sum(self.node_files.values())

    @property
    def edges(self) -> int:
        return sum(self.edge_files.values())

    def save(self) -> None:
        manifest = {
            "nodes": self.node_files,
            "relationships": self.edge_files,
            "multiline": self.multiline_files,
        }
        (self.directory / MANIFEST).write_text(json.dumps(manifest, indent=2))

    @classmethod
    def load(cls, directory: Path) -> CsvSet:
        path = directory / MANIFEST
        if not path.is_file():
            raise BulkError(f"{directory} has no {MANIFEST}: write it with write_csvs()")
        manifest = json.loads(path.read_text())
        return cls(
            directory,
            dict(manifest["nodes"]),
            dict(manifest["relationships"]),
            list(manifest["multiline"]),
        )


class _Files:
    """One open CSV per label and relationship type, created with its header on first use."""

    def __init__(self, csvs: CsvSet, scope: str | None) -> None:
        self.csvs = csvs
        self.scope = scope
        self._open: dict[str, IO[str]] = {}

    def write(self, name: str, header: str, line: str, counts: dict[str, int]) -> None:
        handle = self._open.get(name)
        if handle is None:
            handle = (self.csvs.directory / name).open(
                "w", encoding="utf-8", newline="", buffering=1 << 20
            )
            handle.write(header + "\n")
            self._open[name] = handle
            counts[name] = 0
        handle.write(line)
        counts[name] += 1
        if name not in self.csvs.multiline_files and ("\n" in line[:-1] or "\r" in line):
            self.csvs.multiline_files.append(name)

    def close(self) -> None:
        for handle in self._open.values():
            handle.close()


def node_file(category: Category) -> str:
    return f"nodes-{CATEGORIES[category].label}.csv"


def edge_file(predicate: Predicate) -> str:
    return f"relationships-{PREDICATES[predicate].rel_type}.csv"


def write_csvs(records: Iterable[Record], directory: Path, scope: str | None = None) -> CsvSet:
    """Stream ``records`` into import CSVs under ``directory`` (emptied first).

    ``scope`` (the load's source and dataset, see ``graph.retract``) is stamped on every node
    and edge, as the batched writer stamps it: the import replaces the whole database, so it is
    a snapshot by construction, and a later batched load of the same scope retracts from it.
    """
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    csvs = CsvSet(directory)
    files = _Files(csvs, scope)
    try:
        for record in records:
            _write_record(files, record)
    finally:
        files.close()
    csvs.save()
    logger.info(
        "import CSVs written to %s: %d nodes, %d edges, %d rejected",
        directory,
        csvs.nodes,
        csvs.edges,
        len(csvs.rejected),
    )
    return csvs


def _write_record(files: _Files, record: Record) -> None:
    try:
        if isinstance(record, Node):
            files.write(
                node_file(record.category),
                node_header(record.category),
                node_line(record, files.scope),
                files.csvs.node_files,
            )
        else:
            files.write(
                edge_file(record.predicate),
                edge_header(),
                edge_line(record, files.scope),
                files.csvs.edge_files,
            )
    except UnwritableError as error:
        key = (
            record.id
            if isinstance(record, Node)
            else _edge_key(record.subject, PREDICATES[record.predicate].rel_type, record.object)
        )
        files.csvs.rejected.append(BulkRejection("record", key, str(error)))


def _edge_key(subject: str, rel_type: str, obj: str) -> str:
    return f"{subject} -[{rel_type}]-> {obj}"


# -- importing -------------------------------------------------------------------------------


@dataclass
class BulkReport:
    """What a bulk load wrote, imported and rejected, and how long each step took."""

    csv_dir: Path
    nodes_written: int = 0  # CSV rows
    edges_written: int = 0
    nodes_imported: int = 0  # as the importer counted them
    edges_imported: int = 0
    rejected: list[BulkRejection] = field(default_factory=list)
    duplicate_nodes: list[str] = field(default_factory=list)  # ids defined twice: first kept
    seconds: dict[str, float] = field(default_factory=dict)  # csv, stop, import, start, ...

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def import_args(csvs: CsvSet, database: str, report_file: Path) -> list[str]:
    """The ``neo4j-admin`` arguments (checked against 5.26's ``database import full --help``)."""
    if not csvs.node_files:
        raise BulkError(
            "no nodes to import: the bulk path loads a whole graph into an empty "
            "database (use `pharmakg load` to add edges to an existing one)"
        )
    directory = csvs.directory
    args = [
        "database",
        "import",
        "full",
        database,
        "--overwrite-destination=true",
        f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
        "--id-type=string",
        # Report, never abort on, relationships to missing nodes and repeated node ids.
        "--skip-bad-relationships=true",
        "--skip-duplicate-nodes=true",
        f"--bad-tolerance={max(csvs.nodes + csvs.edges, 1)}",
        # Every relationship's endpoints looked up exactly, never by a hash alone.
        "--strict=true",
        f"--report-file={report_file}",
        *(f"--nodes={directory / name}" for name in csvs.node_files),
        *(f"--relationships={directory / name}" for name in csvs.edge_files),
    ]
    if csvs.multiline_files:
        # Only when some value holds a line break: it makes the importer parse serially. (The
        # per-file form, --multiline-fields-format=v2, fails on files over its 4 MiB read
        # buffer in 5.26: "Weird input data, found CR outside a text cell".)
        args.append("--multiline-fields=true")
    return args


_IMPORTED = re.compile(r"Imported:\s+(\d+) nodes\s+(\d+) relationships", re.MULTILINE)
_MISSING = re.compile(
    r"^(.*) \("
    + ID_SPACE
    + r"\)-\[(.+)\]->(.*) \("
    + ID_SPACE
    + r"\) referring to missing node (.*)$"
)
_DUPLICATE = re.compile(r"^Id '(.*)' is defined more than once in group '" + ID_SPACE + "'$")


def import_into(
    cfg: server.ServerConfig,
    csv_dir: Path,
    database: str = "neo4j",
    *,
    report: BulkReport | None = None,
) -> BulkReport:
    """Replace ``database`` by the CSVs in ``csv_dir``: stop, import, start the local server."""
    csvs = CsvSet.load(csv_dir)
    report = report or BulkReport(csv_dir, csvs.nodes, csvs.edges)
    report_file = csv_dir.parent / REPORT_FILE
    args = import_args(csvs, database, report_file)
    started = time.perf_counter()
    server.stop(cfg)
    report.seconds["stop"] = _lap(started)
    started = time.perf_counter()
    report_file.unlink(missing_ok=True)
    try:
        output = server.run_admin(cfg, *args)
    except ServerError as error:
        _discard_store(cfg, database)
        server.start(cfg)
        logger.warning("the import into %s failed; its store was discarded", database)
        raise BulkError(f"the import failed; {database} is now empty. {error}") from error
    report.seconds["import"] = _lap(started)
    _read_import(report, output, report_file)
    logger.info(
        "neo4j-admin imported %d nodes and %d edges into %s in %.1f s",
        report.nodes_imported,
        report.edges_imported,
        database,
        report.seconds["import"],
    )
    started = time.perf_counter()
    server.start(cfg)
    report.seconds["start"] = _lap(started)
    return report


def _lap(started: float) -> float:
    return time.perf_counter() - started


def _discard_store(cfg: server.ServerConfig, database: str) -> None:
    """A failed import leaves an unusable store; without it the server starts an empty one."""
    for folder in ("databases", "transactions"):
        shutil.rmtree(cfg.data_dir / folder / database, ignore_errors=True)


def _read_import(report: BulkReport, output: str, report_file: Path) -> None:
    imported = _IMPORTED.search(output)
    if imported is None:
        raise BulkError(f"the importer's output has no 'Imported:' summary:\n{output[-2000:]}")
    report.nodes_imported, report.edges_imported = int(imported[1]), int(imported[2])
    if not report_file.exists():
        return
    with report_file.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            _read_report_line(report, line.rstrip("\n"))


def _read_report_line(report: BulkReport, line: str) -> None:
    if not line.strip():
        return
    if missing := _MISSING.match(line):
        subject, rel_type, obj, absent = missing.groups()
        role = "subject" if absent == subject else "object"
        report.rejected.append(
            BulkRejection("edge", _edge_key(subject, rel_type, obj), missing_endpoint(role, absent))
        )
    elif duplicate := _DUPLICATE.match(line):
        report.duplicate_nodes.append(duplicate[1])
    else:
        report.rejected.append(BulkRejection("import", "-", line))


def bulk_load(
    cfg: server.ServerConfig,
    records: Iterable[Record],
    *,
    work_dir: Path,
    database: str = "neo4j",
    scope: str | None = None,
) -> BulkReport:
    """Write the CSVs under ``work_dir/csv`` and import them, replacing ``database``.

    The server is running again afterwards; call ``finish_bulk_load`` with a driver next.
    """
    started = time.perf_counter()
    csvs = write_csvs(records, work_dir / "csv", scope)
    report = BulkReport(csvs.directory, csvs.nodes, csvs.edges, rejected=list(csvs.rejected))
    report.seconds["csv"] = _lap(started)
    return import_into(cfg, csvs.directory, database, report=report)


# -- after the import ------------------------------------------------------------------------


def finish_bulk_load(
    driver: Driver, report: BulkReport, *, database: str | None = None
) -> BulkReport:
    """Reject what the importer cannot check, then apply the schema (constraints, indexes)."""
    started = time.perf_counter()
    with driver.session(database=database) as session:
        report.rejected += session.execute_write(_misplaced)
        report.rejected += session.execute_write(_deduplicate)
    report.seconds["check"] = _lap(started)
    logger.info("post-import checks done: %d rejections in all", len(report.rejected))
    started = time.perf_counter()
    apply_schema(driver, database=database)
    report.seconds["schema"] = _lap(started)
    graph_version.bump(driver, database)  # answers cached before the import are unreachable
    return report


def _misplaced(tx: ManagedTransaction) -> list[BulkRejection]:
    """Delete (and report) relationships whose endpoints their predicate does not take."""
    rejected = []
    for row in tx.run(cypher.delete_misplaced_edges()):
        predicate = predicate_of_type(row["type"])
        info = PREDICATES[predicate]
        allowed = info.domain if row["role"] == "subject" else info.range
        names = ", ".join(sorted(c.value for c in allowed))
        curie = row[row["role"]]
        category = category_of_label(row["label"]).value
        rejected.append(
            BulkRejection(
                "edge",
                _edge_key(row["subject"], row["type"], row["object"]),
                f"{row['role']} {curie} is a {category}, but {predicate.value} takes {names}",
            )
        )
    return rejected


def _deduplicate(tx: ManagedTransaction) -> list[BulkRejection]:
    """Keep one relationship per edge id, as the batched writer's MERGE does."""
    ids = [row["id"] for row in tx.run(cypher.REPEATED_EDGE_IDS)]
    if not ids:
        return []
    return [
        BulkRejection(
            "edge",
            f"{row['type']} {row['id']}",
            f"{row['copies']} edges share this id with different data; one was kept",
        )
        for row in tx.run(cypher.DELETE_REPEATED_EDGES, ids=ids)
        if row["versions"] > 1
    ]
