"""RDF export: the streamed dumps side by side with building an rdflib Graph and serialising it.

For each graph size (synthetic graphs from ``benchmarks.synthetic``, bulk-imported into a
local Neo4j started on free ports) and each format (N-Triples, Turtle), two paths export the
whole graph from Neo4j to a file:

- streamed: ``graph.export`` reads nodes then relationships lazily and the streaming writer
  writes each record as it arrives (what ``pharmakg export-rdf`` and ``/rdf/export`` do);
- naive: the same records go into an rdflib ``Graph``, then ``Graph.serialize`` writes it.

Both read Neo4j the same way, so the end-to-end ratio is bounded by the read itself; the
``offline`` rows take Neo4j out (the same records, already in memory) to show the writers
alone. Each measurement runs in a fresh process, so its peak RSS is its own. The naive path
holds the whole graph, so it only runs up to ``naive_max`` edges.

    python -m benchmarks --only rdf [--quick] [--rdf-sizes 10000,100000,1000000]
    python -m benchmarks.rdf_bench [--rdf-sizes ...]      # the same, alone

``read`` rows are the floor both paths share: the records read from Neo4j and validated,
nothing written.
"""

from __future__ import annotations

import argparse
import json
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase

from api.settings import PROJECT_ROOT
from benchmarks.synthetic import NODES_PER_EDGE, generate
from graph import bulk, export, server
from graph.export import Selection
from ontology import rdf
from ontology.records import Record

DEFAULT_EDGES = (10_000, 100_000, 1_000_000)
QUICK_EDGES = (2_000,)
MODES = ("streamed", "naive", "streamed-offline", "naive-offline")
ALL_MODES = ("read", *MODES)
DEFAULT_NAIVE_MAX = 100_000
FORMATS = ("nt", "ttl")
INFO = rdf.DatasetInfo(version="bench", created=date(2026, 1, 1))


@dataclass(frozen=True)
class Measurement:
    edges: int
    format: str
    path: str  # read, streamed, naive, streamed-offline or naive-offline
    seconds: float
    triples: int
    peak_rss_mb: float
    megabytes: float

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds else 0.0


# -- one measurement, in its own process -----------------------------------------------------


class _GraphWriter:
    """A writer that adds every group to an rdflib Graph (the naive path)."""

    def __init__(self) -> None:
        self.graph = rdf.to_graph([])

    def begin(self) -> None:
        return None

    def group(self, triples: Sequence[rdf.Triple]) -> None:
        rdf.to_graph(triples, self.graph)

    def end(self) -> None:
        return None


def measure(
    mode: str, name: str, uri: str, password: str, output: Path, *, edges: int = 0, seed: int = 7
) -> dict[str, Any]:
    """Export once (``streamed``, ``naive``, or ``-offline`` from records in memory)."""
    fmt = rdf.FORMATS[name]
    records = list(generate(edges, seed=seed)) if mode.endswith("-offline") else []
    started = time.perf_counter()
    if mode == "read":
        with GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
            count = sum(1 for _ in export.iter_items(driver, Selection()))
        output.write_text(str(count))
        summary = rdf.Summary()
    elif mode.startswith("streamed"):
        with output.open("w", encoding="utf-8", newline="\n") as handle:
            summary = _export(
                mode,
                uri,
                password,
                records,
                rdf.Exporter(rdf.writer_for(fmt, handle.write), INFO, fmt=fmt),
            )
    else:
        writer = _GraphWriter()
        summary = _export(mode, uri, password, records, rdf.Exporter(writer, INFO, fmt=fmt))
        writer.graph.serialize(destination=str(output), format=fmt.rdflib, encoding="utf-8")
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "triples": summary.triples,
        "peak_rss_mb": peak_kb / 1024,
        "megabytes": output.stat().st_size / 1e6,
    }


def _export(
    mode: str, uri: str, password: str, records: list[Record], exporter: rdf.Exporter
) -> rdf.Summary:
    if mode.endswith("-offline"):
        return rdf.export_records(records, exporter)
    with GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
        return export.export(driver, Selection(), exporter)


def _measure_in_child(
    mode: str, name: str, *, uri: str, password: str, work: Path, edges: int, seed: int
) -> Measurement:
    output = work / f"export-{edges}-{mode}.{rdf.FORMATS[name].extension}"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.rdf_bench",
            "measure",
            "--mode",
            mode,
            "--format",
            name,
            "--uri",
            uri,
            "--password",
            password,
            "--output",
            str(output),
            "--edges",
            str(edges),
            "--seed",
            str(seed),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{mode} {name} export failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    output.unlink(missing_ok=True)
    return Measurement(edges, name, mode, **figures)


# -- the run ---------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("RDF export benchmark (rdf_bench)")
    group.add_argument(
        "--rdf-sizes",
        default=None,
        help=f"edge counts, comma separated [{','.join(map(str, DEFAULT_EDGES))}"
        f"; --quick: {','.join(map(str, QUICK_EDGES))}]",
    )
    group.add_argument(
        "--rdf-naive-max",
        type=int,
        default=DEFAULT_NAIVE_MAX,
        help=f"largest graph the naive path exports [{DEFAULT_NAIVE_MAX}]",
    )
    group.add_argument(
        "--rdf-formats",
        default=",".join(FORMATS),
        help=f"formats, comma separated [{','.join(FORMATS)}]",
    )
    group.add_argument("--rdf-seed", type=int, default=7)
    group.add_argument("--rdf-heap", default="2g")
    group.add_argument("--rdf-pagecache", default="2g")


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The ``python -m benchmarks`` entry point: rows of the results table."""
    quick = bool(getattr(args, "quick", False))
    sizes = (
        [int(s) for s in args.rdf_sizes.split(",")]
        if args.rdf_sizes
        else list(QUICK_EDGES if quick else DEFAULT_EDGES)
    )
    results = bench(
        sizes,
        naive_max=args.rdf_naive_max,
        formats=args.rdf_formats.split(","),
        seed=args.rdf_seed,
        heap=args.rdf_heap,
        pagecache=args.rdf_pagecache,
    )
    rows = table(results)
    print()
    print(markdown(results))
    return rows


def bench(
    edges: Sequence[int] = DEFAULT_EDGES,
    *,
    naive_max: int = DEFAULT_NAIVE_MAX,
    formats: Sequence[str] = FORMATS,
    seed: int = 7,
    work_dir: Path | None = None,
    heap: str = "2g",
    pagecache: str = "2g",
) -> list[Measurement]:
    """Start a Neo4j, and for each size: import the graph, measure each path and format."""
    results: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="pharmakg-rdf-bench-", dir=work_dir) as scratch:
        work = Path(scratch)
        password = secrets.token_urlsafe(12)
        cfg = server.ServerConfig(
            home=PROJECT_ROOT / ".neo4j",
            instance_dir=work / "neo4j",
            password=password,
            bolt_port=server.free_port(),
            http_port=server.free_port(),
            heap=heap,
            pagecache=pagecache,
            transaction_memory="1g",
        )
        server.start(cfg)
        try:
            for size in edges:
                _load(cfg, password, size, seed, work)
                plan = [("read", formats[0])]
                for name in formats:
                    modes = MODES if size <= naive_max else ("streamed",)
                    plan += [(mode, name) for mode in modes]
                for mode, name in plan:
                    result = _measure_in_child(
                        mode,
                        name,
                        uri=cfg.bolt_uri,
                        password=password,
                        work=work,
                        edges=size,
                        seed=seed,
                    )
                    results.append(result)
                    print(_line(result), flush=True)
        finally:
            server.stop(cfg)
    return results


def table(results: Sequence[Measurement]) -> list[dict[str, Any]]:
    """One row per measurement, with the speed-up of a streamed path over its naive twin.

    Where the naive path could not run (a graph too large for it), ``speedup_at_least`` compares
    with the best rate the naive path reached on a smaller graph in the same run: it only gets
    slower as the graph grows, so the true ratio is at least that.
    """
    naive = {
        (m.edges, m.format, m.path.replace("naive", "streamed")): m
        for m in results
        if m.path.startswith("naive")
    }
    best_naive: dict[tuple[str, str], float] = {}
    for (_, fmt, path), m in naive.items():
        best_naive[fmt, path] = max(best_naive.get((fmt, path), 0.0), m.triples_per_second)
    rows = []
    for m in results:
        base = naive.get((m.edges, m.format, m.path))
        streamed = m.path.startswith("streamed")
        bound = best_naive.get((m.format, m.path)) if streamed and base is None else None
        rows.append(
            {
                "edges": m.edges,
                "format": "-" if m.path == "read" else m.format,
                "path": m.path,
                "triples": m.triples,
                "seconds": round(m.seconds, 2),
                "triples_per_s": round(m.triples_per_second),
                "records_per_s": round(_records(m) / m.seconds) if m.seconds else 0,
                "peak_rss_mb": round(m.peak_rss_mb),
                "speedup": round(m.triples_per_second / base.triples_per_second, 1)
                if base and streamed
                else None,
                "speedup_at_least": round(m.triples_per_second / bound, 1) if bound else None,
            }
        )
    return rows


def _records(m: Measurement) -> int:
    return int(m.edges * (1 + NODES_PER_EDGE))


def _load(cfg: server.ServerConfig, password: str, edges: int, seed: int, work: Path) -> None:
    started = time.perf_counter()
    target = work / f"bulk-{edges}"
    try:
        report = bulk.bulk_load(cfg, generate(edges, seed=seed), work_dir=target)
    except bulk.BulkError as error:  # seen once at 1M: the importer failing in 2 s, no reason
        print(f"the import failed, once more: {str(error)[:200]}", flush=True)
        time.sleep(10)
        report = bulk.import_into(cfg, target / "csv")
    with GraphDatabase.driver(cfg.bolt_uri, auth=("neo4j", password)) as driver:
        bulk.finish_bulk_load(driver, report)
        for _ in export.iter_items(driver, Selection()):  # warm the page cache and plans
            pass
    print(
        f"loaded {report.nodes_imported:,} nodes and {report.edges_imported:,} edges in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )


def _line(m: Measurement) -> str:
    return (
        f"{m.edges:>9,} edges  {m.format:<3} {m.path:<8} {m.triples:>11,} triples "
        f"{m.seconds:>8.1f} s {m.triples_per_second:>10,.0f} triples/s "
        f"peak {m.peak_rss_mb:>7,.0f} MB  file {m.megabytes:>8,.1f} MB"
    )


def markdown(results: Sequence[Measurement]) -> str:
    """The results as a Markdown table, with the streamed/naive speed-up per size."""
    lines = [
        "| edges | format | path | triples | seconds | triples/s | peak RSS (MB) | speed-up |",
        "|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in table(results):
        speedup = (
            f"{row['speedup']}x"
            if row["speedup"]
            else f"≥ {row['speedup_at_least']}x (naive too large)"
            if row["speedup_at_least"]
            else ""
        )
        rate = (
            f"{row['records_per_s']:,} records/s"
            if row["path"] == "read"
            else f"{row['triples_per_s']:,}"
        )
        lines.append(
            f"| {row['edges']:,} | {row['format']} | {row['path']} | "
            f"{row['triples']:,} | {row['seconds']:.1f} | {rate} | "
            f"{row['peak_rss_mb']:,} | {speedup} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command")
    child = sub.add_parser("measure", help="(internal) one measurement in this process")
    child.add_argument("--mode", choices=ALL_MODES, required=True)
    child.add_argument("--format", choices=list(rdf.FORMATS), required=True)
    child.add_argument("--uri", required=True)
    child.add_argument("--password", required=True)
    child.add_argument("--output", type=Path, required=True)
    child.add_argument("--edges", type=int, default=0)
    child.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path, help="Also write the rows here.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.command == "measure":
        print(
            json.dumps(
                measure(
                    args.mode,
                    args.format,
                    args.uri,
                    args.password,
                    args.output,
                    edges=args.edges,
                    seed=args.seed,
                )
            )
        )
        return
    rows = run(args)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
