"""Load benchmark: the batched Bolt writer, the bulk import and the naive writer, side by side.

For each size (synthetic graphs from ``benchmarks.synthetic``, 10k / 100k / 1M edges):

- source: the generator alone (the Python cost of producing validated records; every path
  below pays it too);
- bolt: what ``pharmakg load`` runs (``api.pipeline``: identity resolution against the graph,
  the repeated-id check, ``graph.writer.Writer`` in one transaction as the CLI's default, the
  load's scope with the snapshot's retraction, the graph version bump), into an empty database
  with the schema applied;
- writer: ``graph.writer.Writer`` alone, per-batch transactions, on the same records (what
  "bolt" timed before it went through the pipeline);
- bulk: ``graph.bulk``: CSVs written, server stopped, ``neo4j-admin database import full``,
  server started, post-import checks, schema applied; each step timed, and the total;
- naive: one Cypher query per record (``writes.naive_node`` / ``naive_edge``), measured once
  per run on a bounded graph (too slow for the large sizes), in two variants: committed every
  batch like the Bolt writer, and one auto-commit transaction per record;
- floor: what this machine's Neo4j can take at best: the same properties, rows built in memory
  beforehand (not timed), written with a bare ``CREATE`` (``writes.BARE_CREATE_*``: one label,
  one type, only the id constraint, no MERGE, no checks). No writer that checks anything can
  pass it, so it says how far the targets are from the hardware.

Every measurement runs in a fresh Python process, so its peak resident memory (VmHWM) is the
loader's own; Neo4j's resident memory and CPU time are read from /proc. The benchmark starts
its own Neo4j (free ports, a temporary directory, heap and page cache 4g) and stops it.

    python -m benchmarks --only load [--quick] [--load-sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from neo4j import Driver, GraphDatabase, ManagedTransaction

from api import pipeline
from api.settings import PROJECT_ROOT
from benchmarks import report
from benchmarks.synthetic import Plan, generate
from graph import bulk, server
from graph.cypher import reads, schema, writes
from graph.schema import apply_schema
from graph.stats import delete_all, graph_stats
from graph.writer import Writer, edge_row, node_row
from ontology.records import Node, Record

NAME = "load"
PASSWORD = "pharmakg-bench"  # noqa: S105 - a throw-away server on loopback
DEFAULT_SIZES = "10000,100000,1000000"
QUICK_SIZES = "10000"
NAIVE_EDGES = 16_000  # a complete graph of ~20k records: its nodes, then its edges
AUTOCOMMIT_EDGES = 2_400  # ~3k records, one transaction each
WARM_UP_EDGES = 4_000
WARM_UP_SEED = 99
TARGET_BOLT_EDGES_PER_S = 50_000
TARGET_BOLT_OVER_NAIVE = 20.0
TARGET_BULK_OVER_BOLT = 5.0

Row = dict[str, Any]
P = ParamSpec("P")
T = TypeVar("T")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("load benchmark (load_bench)")
    group.add_argument(
        "--load-sizes",
        default=None,
        help=f"edge counts, comma separated [{DEFAULT_SIZES}; --quick: {QUICK_SIZES}]",
    )
    group.add_argument(
        "--load-batch-size",
        type=int,
        default=5000,
        help="records per transaction for the Bolt and naive writers [5000]",
    )
    group.add_argument(
        "--load-naive-edges",
        type=int,
        default=NAIVE_EDGES,
        help=f"size of the graph the naive writer loads [{NAIVE_EDGES}]",
    )
    group.add_argument("--load-seed", type=int, default=7)
    group.add_argument("--load-heap", default="4g")
    group.add_argument("--load-pagecache", default="4g")
    group.add_argument(
        "--load-skip",
        action="append",
        default=[],
        choices=["bolt", "writer", "bulk", "naive", "floor"],
        help="leave a path out (repeatable)",
    )


def sizes(args: argparse.Namespace) -> list[int]:
    text = args.load_sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


# -- measuring in a fresh process ------------------------------------------------------------


def in_fresh_process(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``fn`` in a new interpreter, so that its peak memory is its own."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def measured(work: Callable[[], Row]) -> Row:
    """Time ``work`` in this (fresh) process: wall, CPU, memory held, child processes."""
    gc.collect()
    before = report.process_memory()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu = time.perf_counter(), time.process_time()
    row = work()
    seconds = time.perf_counter() - started
    after = report.process_memory()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    row.update(
        seconds=seconds,
        client_cpu_s=time.process_time() - cpu,
        client_rss_start_mib=before.get("rss_mib"),
        client_peak_mib=after.get("peak_rss_mib"),
        client_held_mib=round(after.get("peak_rss_mib", 0.0) - before.get("rss_mib", 0.0), 1),
    )
    child_cpu = (used.ru_utime + used.ru_stime) - (children.ru_utime + children.ru_stime)
    if child_cpu > 0:
        row.update(importer_cpu_s=child_cpu, importer_peak_mib=round(used.ru_maxrss / 1024, 1))
    return row


def _counting(records: Iterator[Record], counts: dict[str, int]) -> Iterator[Record]:
    for record in records:
        counts["nodes" if isinstance(record, Node) else "edges"] += 1
        yield record


def job_source(edges: int, seed: int) -> Row:
    def work() -> Row:
        counts = {"nodes": 0, "edges": 0}
        for _ in _counting(generate(edges, seed), counts):
            pass
        return counts

    return measured(work)


SCOPE = pipeline.scope_of("synthetic", [Path("synthetic")])


def job_bolt(uri: str, edges: int, seed: int, batch_size: int) -> Row:
    """What ``pharmakg load`` runs: ``api.pipeline`` (identity resolution included)."""

    def work() -> Row:
        with GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as driver:
            loaded = pipeline.load_records(
                driver,
                generate(edges, seed),
                scope=SCOPE,
                origin=Path("synthetic"),
                batch_size=batch_size,
            )
        stats = loaded.write
        return {
            "nodes": stats.nodes.created,
            "edges": stats.edges.created,
            "rejected": len(loaded.rejections),
        }  # the writer's rejections included

    return measured(work)


def job_writer(uri: str, edges: int, seed: int, batch_size: int) -> Row:
    """The writer alone, no identity step (what the "bolt" path timed before)."""

    def work() -> Row:
        with GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as driver:
            stats = Writer(driver, batch_size=batch_size).write(generate(edges, seed))
        return {
            "nodes": stats.nodes.created,
            "edges": stats.edges.created,
            "rejected": stats.rejected,
        }

    return measured(work)


def job_naive(uri: str, edges: int, seed: int, batch_size: int, *, autocommit: bool) -> Row:
    """One query per record: committed every ``batch_size`` records, or each on its own."""

    def work() -> Row:
        counts = {"nodes": 0, "edges": 0}
        records = _counting(generate(edges, seed), counts)
        with (
            GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as driver,
            driver.session() as session,
        ):
            if autocommit:
                for record in records:
                    session.run(*naive_query(record)).consume()
            else:
                while chunk := list(itertools.islice(records, batch_size)):
                    session.execute_write(_naive_batch, chunk)
        return counts

    return measured(work)


def naive_query(record: Record) -> tuple[str, dict[str, Any]]:
    if isinstance(record, Node):
        return writes.naive_node(record.category), {"id": record.id, "props": record.properties()}
    return writes.naive_edge(record.predicate), {
        "subject": record.subject,
        "object": record.object,
        "id": record.id,
        "props": record.properties(),
    }


def _naive_batch(tx: ManagedTransaction, chunk: list[Record]) -> None:
    for record in chunk:
        tx.run(*naive_query(record)).consume()


def floor_rows(edges: int, seed: int) -> tuple[list[Row], list[Row]]:
    """Node and edge rows with the properties the writer stores, all in memory."""
    nodes: list[Row] = []
    links: list[Row] = []
    for record in generate(edges, seed):
        if isinstance(record, Node):
            row = node_row(record)
            nodes.append(
                {
                    **row["props"],
                    "xrefs": row["xrefs"],
                    "synonyms": row["synonyms"],
                    "sources": [row["source"]],
                    "content_hash": row["hash"],
                }
            )
        else:
            row = edge_row(record)
            links.append(
                {
                    "subject": row["subject"],
                    "object": row["object"],
                    "props": {**row["props"], "content_hash": row["hash"]},
                }
            )
    return nodes, links


def job_floor(uri: str, edges: int, seed: int, batch_size: int) -> Row:
    nodes, links = floor_rows(edges, seed)

    def work() -> Row:
        with (
            GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as driver,
            driver.session() as session,
        ):
            for query, rows in (
                (writes.BARE_CREATE_NODES, nodes),
                (writes.BARE_CREATE_EDGES, links),
            ):
                for start in range(0, len(rows), batch_size):
                    session.execute_write(_run_rows, query, rows[start : start + batch_size])
        return {"nodes": len(nodes), "edges": len(links)}

    return measured(work)


def _run_rows(tx: ManagedTransaction, query: str, rows: list[Row]) -> None:
    tx.run(query, rows=rows).consume()


def job_bulk(cfg: server.ServerConfig, edges: int, seed: int, work_dir: Path) -> Row:
    def work() -> Row:
        result = bulk.bulk_load(cfg, generate(edges, seed), work_dir=work_dir)
        return {
            "nodes": result.nodes_imported,
            "edges": result.edges_imported,
            "rejected": len(result.rejected),
            "report": result,
        }

    return measured(work)


# -- the server ------------------------------------------------------------------------------


@contextmanager
def bench_server(args: argparse.Namespace) -> Iterator[server.ServerConfig]:
    with tempfile.TemporaryDirectory(prefix="pharmakg-load-bench-") as tmp:
        cfg = server.ServerConfig(
            home=PROJECT_ROOT / ".neo4j",
            instance_dir=Path(tmp) / "neo4j",
            password=PASSWORD,
            bolt_port=server.free_port(),
            http_port=server.free_port(),
            heap=args.load_heap,
            pagecache=args.load_pagecache,
        )
        server.start(cfg)
        try:
            yield cfg
        finally:
            server.stop(cfg)


def fresh_database(cfg: server.ServerConfig, *, bare: bool = False) -> None:
    """An empty database with the schema, on a warmed-up server.

    Stop, remove the store, start, apply the schema, then warm the JVM up (the JIT compiles
    the write path on first use) with a small load of other data, deleted again. ``bare``:
    only the id constraint that the floor's endpoint lookups need.
    """
    server.stop(cfg)
    for folder in ("databases", "transactions"):
        shutil.rmtree(cfg.data_dir / folder / "neo4j", ignore_errors=True)
    server.start(cfg)
    with connect(cfg) as driver:
        if bare:
            driver.execute_query(schema.schema_statements()[0])  # the Entity id constraint
            nodes, links = floor_rows(WARM_UP_EDGES, WARM_UP_SEED)
            with driver.session() as session:
                session.execute_write(_run_rows, writes.BARE_CREATE_NODES, nodes)
                session.execute_write(_run_rows, writes.BARE_CREATE_EDGES, links)
            delete_all(driver)
            return
        apply_schema(driver)
        Writer(driver, batch_size=1000).write(generate(WARM_UP_EDGES, seed=WARM_UP_SEED))
        with driver.session() as session:
            for record in itertools.islice(generate(WARM_UP_EDGES, seed=WARM_UP_SEED), 1000):
                session.run(*naive_query(record)).consume()
        delete_all(driver)


@contextmanager
def connect(cfg: server.ServerConfig) -> Iterator[Driver]:
    with GraphDatabase.driver(cfg.bolt_uri, auth=("neo4j", PASSWORD)) as driver:
        driver.verify_connectivity()
        yield driver


def _server_pid(cfg: server.ServerConfig) -> int | None:
    return server.status(cfg).pid


@contextmanager
def server_usage(cfg: server.ServerConfig, row: Row) -> Iterator[None]:
    """Neo4j's CPU time over the block (while its process lives) and its memory after."""
    pid = _server_pid(cfg)
    cpu = report.process_cpu_seconds(pid) if pid else None
    load = os.getloadavg()[0]
    yield
    row["load_avg_1m"] = round((load + os.getloadavg()[0]) / 2, 2)
    now = _server_pid(cfg)
    if now is not None and now == pid and cpu is not None:
        row["neo4j_cpu_s"] = (report.process_cpu_seconds(now) or cpu) - cpu
    if now is not None:
        row["neo4j_rss_mib"] = report.process_memory(now).get("rss_mib")


def graph_counts(cfg: server.ServerConfig) -> tuple[int, int]:
    with connect(cfg) as driver:
        stats = graph_stats(driver)
    return stats.node_total, stats.edge_total


# -- the paths -------------------------------------------------------------------------------


def _rates(row: Row, size: int, path: str) -> Row:
    seconds = row["seconds"]
    row = {"edges_target": size, "path": path, **row}
    row["records"] = row.get("nodes", 0) + row.get("edges", 0)
    row["nodes_per_s"] = row.get("nodes", 0) / seconds
    row["edges_per_s"] = row.get("edges", 0) / seconds
    row["records_per_s"] = row["records"] / seconds
    return row


def measure_source(size: int, seed: int) -> Row:
    return _rates(in_fresh_process(job_source, size, seed), size, "source")


def measure_bolt(
    cfg: server.ServerConfig, size: int, args: argparse.Namespace, *, path: str = "bolt"
) -> Row:
    fresh_database(cfg)
    usage: Row = {}
    job = job_bolt if path == "bolt" else job_writer
    with server_usage(cfg, usage):
        row = in_fresh_process(job, cfg.bolt_uri, size, args.load_seed, args.load_batch_size)
    row.update(usage)
    row["in_graph"] = graph_counts(cfg)
    return _rates(row, size, path)


def measure_floor(cfg: server.ServerConfig, size: int, args: argparse.Namespace) -> Row:
    fresh_database(cfg, bare=True)
    usage: Row = {}
    with server_usage(cfg, usage):
        row = in_fresh_process(job_floor, cfg.bolt_uri, size, args.load_seed, args.load_batch_size)
    row.update(usage)
    with connect(cfg) as driver:  # unlabelled by the vocabulary: graph_stats would not see it
        counts = driver.execute_query(reads.COUNT_ALL).records[0]
    row["in_graph"] = (counts["nodes"], counts["edges"])
    return _rates(row, size, "floor")


def measure_naive(cfg: server.ServerConfig, args: argparse.Namespace) -> list[Row]:
    rows = []
    for path, edges, autocommit in (
        ("naive (per-batch tx)", args.load_naive_edges, False),
        ("naive (auto-commit)", AUTOCOMMIT_EDGES, True),
    ):
        fresh_database(cfg)
        usage: Row = {}
        with server_usage(cfg, usage):
            row = in_fresh_process(
                job_naive,
                cfg.bolt_uri,
                edges,
                args.load_seed,
                args.load_batch_size,
                autocommit=autocommit,
            )
        row.update(usage)
        row["in_graph"] = graph_counts(cfg)
        rows.append(_rates(row, edges, path))
    return rows


def measure_bulk(
    cfg: server.ServerConfig, size: int, args: argparse.Namespace, work_dir: Path
) -> Row:
    row = in_fresh_process(job_bulk, cfg, size, args.load_seed, work_dir)
    result: bulk.BulkReport = row.pop("report")
    usage: Row = {}
    with server_usage(cfg, usage), connect(cfg) as driver:
        bulk.finish_bulk_load(driver, result)
    row.update(usage)
    row["rejected"] = len(result.rejected)
    row.update({f"{step}_s": seconds for step, seconds in result.seconds.items()})
    row["seconds"] = result.total_seconds
    row["in_graph"] = graph_counts(cfg)
    shutil.rmtree(work_dir, ignore_errors=True)
    return _rates(row, size, "bulk")


# -- the run ---------------------------------------------------------------------------------

MAIN_COLUMNS = (
    "edges_target",
    "path",
    "nodes",
    "edges",
    "seconds",
    "nodes_per_s",
    "edges_per_s",
    "records_per_s",
    "client_cpu_s",
    "client_peak_mib",
    "client_held_mib",
    "neo4j_cpu_s",
    "neo4j_rss_mib",
    "load_avg_1m",
)
BULK_COLUMNS = (
    "edges_target",
    "csv_s",
    "stop_s",
    "import_s",
    "start_s",
    "check_s",
    "schema_s",
    "seconds",
    "importer_cpu_s",
    "importer_peak_mib",
)
RATIO_COLUMNS = (
    "edges_target",
    "bolt_edges_per_s",
    "writer_edges_per_s",
    "pipeline_extra_s",
    "naive_edges_per_s",
    "bolt_over_naive",
    "bulk_edges_per_s",
    "bulk_over_bolt",
    "bulk_import_only_over_bolt",
    "floor_edges_per_s",
    "bolt_over_floor",
)


def ratios(rows: list[Row]) -> list[Row]:
    """Per size: Bolt / naive (records per second), bulk / Bolt (total time), Bolt / floor."""
    by_path = {(r["path"], r["edges_target"]): r for r in rows}
    naive = next((r for r in rows if r["path"] == "naive (per-batch tx)"), None)
    out = []
    for size in sorted({r["edges_target"] for r in rows if r["path"] == "bolt"}):
        bolt = by_path[("bolt", size)]
        entry: Row = {"edges_target": size, "bolt_edges_per_s": bolt["edges_per_s"]}
        if naive:
            entry["naive_edges_per_s"] = naive["edges_per_s"]
            entry["bolt_over_naive"] = bolt["records_per_s"] / naive["records_per_s"]
        if (bulk_row := by_path.get(("bulk", size))) is not None:
            entry["bulk_edges_per_s"] = bulk_row["edges_per_s"]
            entry["bulk_over_bolt"] = bolt["seconds"] / bulk_row["seconds"]
            entry["bulk_import_only_over_bolt"] = bolt["seconds"] / (
                bulk_row["csv_s"] + bulk_row["import_s"]
            )
        if (writer := by_path.get(("writer", size))) is not None:
            entry["writer_edges_per_s"] = writer["edges_per_s"]
            entry["pipeline_extra_s"] = bolt["seconds"] - writer["seconds"]
        if (floor := by_path.get(("floor", size))) is not None:
            entry["floor_edges_per_s"] = floor["edges_per_s"]
            entry["bolt_over_floor"] = bolt["edges_per_s"] / floor["edges_per_s"]
        out.append(entry)
    return out


def verdicts(rows: list[Row], ratio_rows: list[Row]) -> list[str]:
    lines = []
    largest = max(ratio_rows, key=lambda r: r["edges_target"], default=None)
    if largest:
        size = largest["edges_target"]
        rate = largest["bolt_edges_per_s"]
        lines.append(
            f"Bolt load (pharmakg load's path) at {size:,} edges: {rate:,.0f} edges/s "
            f"(target {TARGET_BOLT_EDGES_PER_S:,}): "
            f"{_met(rate >= TARGET_BOLT_EDGES_PER_S)}"
        )
        if "bolt_over_naive" in largest:
            lines.append(
                f"Bolt / naive: {largest['bolt_over_naive']:.1f}x (target "
                f"{TARGET_BOLT_OVER_NAIVE:.0f}x): "
                f"{_met(largest['bolt_over_naive'] >= TARGET_BOLT_OVER_NAIVE)}"
            )
        if "floor_edges_per_s" in largest:
            lines.append(
                f"floor (bare CREATE, rows in memory): "
                f"{largest['floor_edges_per_s']:,.0f} edges/s; the Bolt writer does "
                f"{largest['bolt_over_floor']:.0%} of it"
            )
        if "bulk_over_bolt" in largest:
            lines.append(
                f"bulk / Bolt: {largest['bulk_over_bolt']:.1f}x (target "
                f"{TARGET_BULK_OVER_BOLT:.0f}x): "
                f"{_met(largest['bulk_over_bolt'] >= TARGET_BULK_OVER_BOLT)}"
            )
    for path in ("bolt", "bulk"):
        peaks = [(r["edges_target"], r["client_peak_mib"]) for r in rows if r["path"] == path]
        if len(peaks) > 1:
            shown = ", ".join(f"{size:,}: {peak:,.0f} MiB" for size, peak in peaks)
            lines.append(f"{path} loader peak RSS by size: {shown}")
    mismatched = [
        f"{r['path']} {r['edges_target']:,}"
        for r in rows
        if "in_graph" in r and tuple(r["in_graph"]) != (r["nodes"], r["edges"])
    ]
    lines.append(
        "graph counts match the records written: "
        + ("yes" if not mismatched else f"NO ({', '.join(mismatched)})")
    )
    return lines


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def run(args: argparse.Namespace) -> list[Row]:
    chosen = sizes(args)
    skip = set(args.load_skip)
    print(
        f"load benchmark: sizes {chosen}; plans: "
        + "; ".join(f"{s:,} edges -> {Plan.for_edges(s).node_total:,} nodes" for s in chosen)
    )
    rows: list[Row] = []

    def keep(new: list[Row]) -> None:
        rows.extend(_shown(new))
        report.save_results(
            f"{NAME}-partial", rows, {"sizes": chosen}, timestamped=False
        )  # what survives a crash

    with bench_server(args) as cfg:
        if "naive" not in skip:
            keep(measure_naive(cfg, args))
        for size in chosen:
            keep([measure_source(size, args.load_seed)])
            if "bolt" not in skip:
                keep([measure_bolt(cfg, size, args)])
            if "writer" not in skip:
                keep([measure_bolt(cfg, size, args, path="writer")])
            if "bulk" not in skip:
                keep([measure_bulk(cfg, size, args, cfg.instance_dir / "bulk")])
            if "floor" not in skip:
                keep([measure_floor(cfg, size, args)])
    ratio_rows = ratios(rows)
    report.print_table("Loading: throughput and memory", rows, MAIN_COLUMNS)
    report.print_table(
        "Bulk import: steps (seconds)", [r for r in rows if r["path"] == "bulk"], BULK_COLUMNS
    )
    report.print_table("Ratios (same run)", ratio_rows, RATIO_COLUMNS)
    for line in verdicts(rows, ratio_rows):
        print(f"- {line}")
    return rows + [{"path": "ratios", **r} for r in ratio_rows]


def _shown(rows: list[Row]) -> list[Row]:
    for row in rows:
        print(
            f"  {row['path']:<22} {row['edges_target']:>9,} edges: {row['seconds']:8.1f} s, "
            f"{row['edges_per_s']:>9,.0f} edges/s, {row['records_per_s']:>9,.0f} records/s, "
            f"peak {row.get('client_peak_mib') or 0:,.0f} MiB, Neo4j CPU "
            f"{row.get('neo4j_cpu_s') or 0:,.1f} s, load {row.get('load_avg_1m', '-')}",
            flush=True,
        )
    return rows
