"""Versioned data releases: build one from the running graph, verify it, restore it.

A release is a directory ``<out>/<version>/``::

    neo4j/neo4j.dump          neo4j-admin database dump (load: `pharmakg restore`)
    rdf/pharmakg.ttl.gz       Turtle, gzip      } the RDF export (ontology.rdf), each ending
    rdf/pharmakg.nt.gz        N-Triples, gzip   } with its VoID/DCAT description
    rdf/pharmakg.jsonld       JSON-LD           }
    kgx/nodes.tsv, edges.tsv  KGX TSV (Biolink categories, predicates, provenance slots)
    kgx/nodes.jsonl, ...      KGX JSON Lines
    kgx/prefix-map.json       the IRI of every CURIE prefix the KGX files use
    csv/nodes.csv, edges.csv  one column per property; csv/README.md the data dictionary
    CITATION.cff              how to cite this release
    CHANGES.md, changes.json  against --previous, when given
    manifest.json             version, date, sources, counts, licence, SHA-256 of every file
    SHA256SUMS                the same checksums for `sha256sum -c`

The graph is read once, in one read transaction, in a stable order (nodes by id, edges by
subject, type, object, id), and every file but the dump and the manifest is a function of
that read and of the version and build date: building twice gives the same bytes. The release
is written under ``<out>/.<version>.partial`` and renamed at the end, so nothing half-written
ever looks like a release.

This is the one place that joins the graph, the formats and the files; the CLI and the tests
call it.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import IO, Any

from neo4j import Driver

from api import diff
from api.rdf import dataset_info
from graph import dump, export, server
from graph.errors import GraphError
from graph.export import Item, Selection, StoredNode
from ontology import biolink, kgx, rdf, table
from ontology.rdf import Exporter, Summary
from ontology.vocab import CATEGORIES, PREDICATES

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
CITATION = "CITATION.cff"
CHANGES = "CHANGES.md"
CHANGES_JSON = "changes.json"
NEO4J_DIR = "neo4j"
RDF_FILES = {
    "ttl": "rdf/pharmakg.ttl.gz",
    "nt": "rdf/pharmakg.nt.gz",
    "jsonld": "rdf/pharmakg.jsonld",
}
KGX_TSV = ("kgx/nodes.tsv", "kgx/edges.tsv")
KGX_JSONL = (f"{diff.KGX_DIR}/{diff.NODES_JSONL}", f"{diff.KGX_DIR}/{diff.EDGES_JSONL}")
KGX_PREFIX_MAP = "kgx/prefix-map.json"
CSV_FILES = ("csv/nodes.csv", "csv/edges.csv")
DATA_DICTIONARY = "csv/README.md"

Progress = Callable[[str, int, int | None], None]  # (what, done, total)


class ReleaseError(GraphError):
    """A release that cannot be built, read or trusted (the message says which file)."""


@dataclass(frozen=True)
class BuildOptions:
    version: str
    built: datetime  # the build date: stated in the manifest, the RDF and the citation
    previous: Path | None = None
    database: str | None = None


@dataclass
class Release:
    directory: Path
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        files: dict[str, dict[str, Any]] = self.manifest["files"]
        return files


def build_date() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


# -- writing the files -----------------------------------------------------------------------


@contextmanager
def _text(path: Path, *, gzipped: bool = False) -> Iterator[IO[str]]:
    """A UTF-8 text file with ``\\n`` line ends; gzip without a name or time in its header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw:
        if not gzipped:
            with io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as handle:
                yield handle
            return
        with (
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed,
            io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as handle,
        ):
            yield handle


class _Table:
    """One delimited file with a header: KGX TSV or the CSV bundle."""

    def __init__(self, handle: IO[str], columns: list[str], delimiter: str) -> None:
        self.writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        self.columns = columns
        self.writer.writerow(columns)

    def row(self, values: dict[str, Any]) -> None:
        self.writer.writerow(table.cells(values, self.columns))


class _Writers:
    """Every file written from the graph read, fed one stored node or edge at a time."""

    def __init__(self, root: Path, info: rdf.DatasetInfo, stack: ExitStack) -> None:
        self.root = root
        self.kgx_prefixes: set[str] = set()
        self.exporters: list[Exporter] = []
        for name, relative in RDF_FILES.items():
            fmt = rdf.format_for(name)
            handle = stack.enter_context(_text(root / relative, gzipped=relative.endswith(".gz")))
            exporter = Exporter(rdf.writer_for(fmt, handle.write), info, fmt=fmt)
            exporter.begin()
            self.exporters.append(exporter)

        def open_(relative: str) -> IO[str]:
            return stack.enter_context(_text(root / relative))

        self.kgx_nodes = _Table(open_(KGX_TSV[0]), kgx.node_columns(), "\t")
        self.kgx_edges = _Table(open_(KGX_TSV[1]), kgx.edge_columns(), "\t")
        self.jsonl_nodes, self.jsonl_edges = open_(KGX_JSONL[0]), open_(KGX_JSONL[1])
        self.csv_nodes = _Table(open_(CSV_FILES[0]), table.node_columns(), ",")
        self.csv_edges = _Table(open_(CSV_FILES[1]), table.edge_columns(), ",")

    def add(self, item: Item) -> None:
        for exporter in self.exporters:
            item.feed(exporter)
        if isinstance(item, StoredNode):
            record = kgx.node_record(item.node, item.sources)
            self.kgx_prefixes |= kgx.prefixes_of(record)
            self.kgx_nodes.row(record)
            self.jsonl_nodes.write(kgx.json_line(record))
            self.csv_nodes.row(table.node_row(item.node, item.sources))
        else:
            record = kgx.edge_record(item.edge, item.id)
            self.kgx_prefixes |= kgx.prefixes_of(record)
            self.kgx_edges.row(record)
            self.jsonl_edges.write(kgx.json_line(record))
            self.csv_edges.row(table.edge_row(item.edge, item.id))

    def end(self) -> Summary:
        summaries = [exporter.end() for exporter in self.exporters]
        with _text(self.root / KGX_PREFIX_MAP) as handle:
            handle.write(json.dumps(kgx.prefix_map(self.kgx_prefixes), indent=2) + "\n")
        return summaries[0]


def _write_graph_files(
    driver: Driver, root: Path, options: BuildOptions, on_progress: Progress
) -> Summary:
    selection = Selection(ordered=True)
    total = export.count(driver, selection, database=options.database)
    info = _dataset_info(options)
    done = 0
    with ExitStack() as stack:
        writers = _Writers(root, info, stack)
        for item in export.iter_items(driver, selection, database=options.database):
            writers.add(item)
            done += 1
            if done % 500 == 0:
                on_progress("Writing RDF, KGX and CSV", done, total)
        summary = writers.end()
    on_progress("Writing RDF, KGX and CSV", done, total)
    return summary


def _dataset_info(options: BuildOptions) -> rdf.DatasetInfo:
    base = dataset_info(Selection())
    return rdf.DatasetInfo(
        version=options.version,
        created=options.built.date(),
        license=base.license,
        title=base.title,
        description=base.description,
        selection=base.selection,
    )


def _write_data_dictionary(root: Path) -> None:
    lines = [
        "# The CSV bundle: nodes.csv and edges.csv",
        "",
        "One row per node and per edge, one column per property (UTF-8, comma-separated, "
        "RFC 4180 quoting, `\\n` line ends). Lists are joined with `|`; booleans are "
        "`true`/`false`; an empty cell is an absent value. Identifiers are CURIEs.",
        "",
        "```python",
        "import pandas as pd",
        "nodes = pd.read_csv('csv/nodes.csv', keep_default_na=False, na_values=[''])",
        "edges = pd.read_csv('csv/edges.csv', keep_default_na=False, na_values=[''])",
        "edges['publications'] = edges['publications'].str.split('|')",
        "```",
        "",
        "## nodes.csv",
        "",
        "| column | type | carried by |",
        "|---|---|---|",
        *_markdown_rows(table.node_dictionary()),
        "",
        "Categories (`category`): "
        + ", ".join(
            f"{c.value} ({info.label}, {biolink.class_curie(c)})" for c, info in CATEGORIES.items()
        )
        + ".",
        "",
        "## edges.csv",
        "",
        "| column | type | part of |",
        "|---|---|---|",
        *_markdown_rows(table.edge_dictionary()),
        "",
        "Predicates (`predicate`): "
        + ", ".join(
            f"{p.value} ({info.rel_type}, {biolink.slot_curie(p)})"
            for p, info in PREDICATES.items()
        )
        + ".",
        "",
    ]
    with _text(root / DATA_DICTIONARY) as handle:
        handle.write("\n".join(lines))


def _markdown_rows(rows: list[tuple[str, str, str]]) -> list[str]:
    return ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]


def _write_citation(root: Path, options: BuildOptions, licence: str) -> None:
    text = f"""\
cff-version: 1.2.0
message: "If you use this release of PharmaKG, please cite it as below."
type: dataset
title: "PharmaKG: an open pharmacology knowledge graph of kratom alkaloids"
version: "{options.version}"
date-released: "{options.built.date().isoformat()}"
license: {licence}
authors:
  - name: "The PharmaKG contributors"
abstract: >-
  Kratom (Mitragyna speciosa) alkaloids, their receptors and enzymes, and the studies behind
  them; every edge carries its evidence (publications, primary knowledge source, knowledge
  level). It reports evidence and gives no medical advice.
keywords:
  - knowledge graph
  - pharmacology
  - kratom
  - Biolink
"""
    with _text(root / CITATION) as handle:
        handle.write(text)


def _write_changes(root: Path, previous: Path, options: BuildOptions) -> str:
    verify(previous)
    result = diff.compare(diff.read_release(previous), diff.read_release(root))
    result.new = options.version
    with _text(root / CHANGES) as handle:
        handle.write(diff.render(result))
    with _text(root / CHANGES_JSON) as handle:
        handle.write(json.dumps(result.to_json(), indent=1, ensure_ascii=False) + "\n")
    return result.old


# -- manifest and checksums ------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _checksums(root: Path) -> dict[str, dict[str, Any]]:
    paths = sorted(
        p for p in root.rglob("*") if p.is_file() and p.name not in (MANIFEST, CHECKSUMS)
    )
    return {
        p.relative_to(root).as_posix(): {"bytes": p.stat().st_size, "sha256": sha256(p)}
        for p in paths
    }


def _manifest(
    summary: Summary,
    options: BuildOptions,
    files: dict[str, dict[str, Any]],
    *,
    licence: str,
    previous: str | None,
    dumped: bool,
) -> dict[str, Any]:
    sources = {
        infores: {
            "versions": sorted(entry.versions),
            "retrieved": sorted(d.isoformat() for d in entry.retrieved),
        }
        for infores, entry in sorted(summary.sources.items())
    }
    return {
        "name": "PharmaKG",
        "version": options.version,
        "built": options.built.isoformat(),
        "previous": previous,
        "licence": licence,
        "software": {
            "pharmakg": package_version("pharmakg"),
            "biolink_model": biolink.version(),
            "neo4j": server.NEO4J_VERSION if dumped else None,
        },
        "sources": sources,
        "counts": {
            "nodes": summary.node_total,
            "edges": summary.edge_total,
            "rdf_triples": summary.triples,
            "categories": {c.value: n for c, n in sorted(summary.nodes.items())},
            "predicates": {p.value: n for p, n in sorted(summary.edges.items())},
        },
        "files": files,
    }


def _finish(root: Path, manifest: dict[str, Any]) -> None:
    with _text(root / MANIFEST) as handle:
        handle.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    sums = {**manifest["files"], MANIFEST: {"sha256": sha256(root / MANIFEST)}}
    with _text(root / CHECKSUMS) as handle:
        handle.writelines(f"{entry['sha256']}  {name}\n" for name, entry in sorted(sums.items()))


# -- the build -------------------------------------------------------------------------------


def build(
    driver: Driver,
    out_dir: Path,
    options: BuildOptions,
    *,
    server_config: server.ServerConfig | None = None,
    on_progress: Progress | None = None,
) -> Release:
    """Build ``out_dir/<version>`` from the graph; with ``server_config``, also its dump.

    The dump stops the local server for the time of ``neo4j-admin database dump`` and starts
    it again; without a server config (a remote graph) the release has no dump.
    """
    progress = on_progress or (lambda _what, _done, _total: None)
    target = out_dir / options.version
    if target.exists():
        raise ReleaseError(f"{target} already exists: choose another --version or remove it")
    if options.previous is not None and not (options.previous / MANIFEST).is_file():
        raise ReleaseError(
            f"--previous {options.previous}: no {MANIFEST}; give the "
            "directory of an earlier release"
        )
    staging = out_dir / f".{options.version}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        summary = _write_graph_files(driver, staging, options, progress)
        licence = dataset_info(Selection()).license.rsplit("/", 1)[-1]
        _write_data_dictionary(staging)
        _write_citation(staging, options, licence)
        previous = None
        if options.previous is not None:
            progress(f"Comparing with {options.previous}", 0, None)
            previous = _write_changes(staging, options.previous, options)
        if server_config is not None:
            progress("Dumping the Neo4j database (the server restarts)", 0, None)
            dump.dump_database(server_config, staging / NEO4J_DIR, options.database or "neo4j")
        progress("Checksums", 0, None)
        manifest = _manifest(
            summary,
            options,
            _checksums(staging),
            licence=licence,
            previous=previous,
            dumped=server_config is not None,
        )
        _finish(staging, manifest)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Release(target, manifest)


# -- reading and trusting a release ----------------------------------------------------------


def read(directory: Path) -> Release:
    path = directory / MANIFEST
    if not path.is_file():
        raise ReleaseError(f"{directory}: no {MANIFEST}; not a PharmaKG release directory")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ReleaseError(f"{path}: not JSON ({error})") from error
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise ReleaseError(f"{path}: not a release manifest (no 'files' mapping)")
    return Release(directory, manifest)


def problems(directory: Path) -> list[str]:
    """Every file that is missing or whose SHA-256 differs from the manifest's; [] if none."""
    release = read(directory)
    found = []
    for name, entry in sorted(release.files.items()):
        path = directory / name
        if not path.is_file():
            found.append(f"{name}: missing")
        elif (actual := sha256(path)) != entry["sha256"]:
            found.append(f"{name}: SHA-256 {actual} differs from the manifest's {entry['sha256']}")
    return found


def verify(directory: Path) -> Release:
    """The release, if every file is there with its checksum; else ReleaseError listing them."""
    release = read(directory)
    if found := problems(directory):
        raise ReleaseError(
            f"{directory} does not match its {MANIFEST}; refusing it:\n  " + "\n  ".join(found)
        )
    return release


def restore(directory: Path, cfg: server.ServerConfig, *, database: str = "neo4j") -> Release:
    """Verify the release, then load its dump into the local server (stopped, then started)."""
    release = verify(directory)
    dumps = [
        name
        for name in release.files
        if name.startswith(f"{NEO4J_DIR}/") and name.endswith(".dump")
    ]
    if len(dumps) != 1:
        raise ReleaseError(
            f"{directory} holds no Neo4j dump (built without the local "
            "server?); load its RDF, KGX or CSV files instead"
        )
    dump.load_database(cfg, directory / dumps[0], database)
    return release
