"""PharmaKG's GraphQL API against its peer, @neo4j/graphql on Apollo Server, on the same Neo4j.

The same questions are asked of both (an entity's typed relations, its outgoing relations, its
studies nested two levels, a filtered list of studies, studiesConnecting: the peer answers
it with one ``@cypher`` field), each for a typical entity and for the hub, and the answers
are checked equal before anything is timed. The floor is raw Cypher through the Python
driver: the very statements PharmaKG sends for that request (recorded once), replayed.

One load generator (aiohttp, keep-alive) drives all three at 1, 8 and 32 clients in
alternating rounds (A B C, C B A, ...), so drift in the machine or in Neo4j's JIT falls on
all alike. A dropped connection is retried (up to three times) and counted, never fatal; every
cell is printed and appended to ``benchmarks/results/peer-<time>.jsonl`` as it is measured.

The peer lives in ``benchmarks/peer`` (package.json and package-lock.json pin its versions;
``npm ci`` runs there first when ``node_modules`` is missing); the benchmark starts Neo4j in a
temporary directory, loads the synthetic graph (``benchmarks.synthetic``), starts both APIs,
and stops everything at the end.

    python -m benchmarks --only peer                    # 100,000 edges, ~10 min
    python -m benchmarks --only peer --quick            # 20,000 edges, fewer requests
    python -m benchmarks.peer_bench --peer-edges 1000000 --peer-requests 300
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import uvloop
from neo4j import AsyncGraphDatabase, GraphDatabase

from api.settings import PROJECT_ROOT, Settings
from benchmarks.api_bench import (
    Operation,
    Query,
    api_command,
    latencies,
    load_synthetic,
    record_cypher,
    timing,
)
from benchmarks.peer_questions import OURS_TYPED, PEER_TYPED, Question, questions
from benchmarks.report import RESULTS_DIR, server_process
from graph import reads, server
from graph import version as graph_version
from graph.errors import GraphError, GraphUnavailableError

PASSWORD = "pharmakg-bench"  # noqa: S105 - a throw-away local server on loopback
PEER_DIR = Path(__file__).resolve().parent / "peer"
CONCURRENCY = (1, 8, 32)
ROUNDS = 2  # per cell: A B C, then C B A
RETRIES = 3  # attempts on a dropped connection before a request counts as failed
WARM_UP = 60  # requests per path and question, before anything is measured
PATHS = ("pharmakg", "executor", "peer", "cypher")
CACHE_PATHS = ("pharmakg_cached", "pharmakg", "peer")
CACHE_MB = 64
ZIPF_ENTITIES = 10_000  # distinct entities the cached workload draws from (at most)
ZIPF_S = 1.1
# Draws of the same law (another seed) every path answers before the Zipf rows are measured:
# a server that has been running, its cache as warm as the law makes it (Neo4j's too).
ZIPF_WARM_UP = 2_000

Report = Callable[[str], object]
Json = Any

# -- the servers -----------------------------------------------------------------------------


def start_neo4j(instance: Path) -> server.ServerConfig:
    cfg = server.ServerConfig(
        home=Settings().neo4j_home,
        instance_dir=instance,
        password=PASSWORD,
        bolt_port=server.free_port(),
        http_port=server.free_port(),
        heap="2g",
        pagecache="1g",
    )
    server.start(cfg)
    return cfg


def npm_ci() -> None:
    """Install the peer's pinned packages (package-lock.json) unless they are there."""
    if not (PEER_DIR / "node_modules" / "@neo4j" / "graphql").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER_DIR, check=True)


async def wait_answering(url: str, child: subprocess.Popen[bytes], seconds: float = 300.0) -> None:
    """Wait until a GraphQL endpoint answers a trivial query (a busy machine starts slowly)."""
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as client:
        while True:
            try:
                async with client.post(url, json={"query": "{ __typename }"}) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            if child.poll() is not None:
                raise RuntimeError(f"the server of {url} exited with {child.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")
            await asyncio.sleep(0.5)


@asynccontextmanager
async def servers(settings: Settings, workers: int) -> Any:
    """PharmaKG's API (``pharmakg serve``, ``workers`` processes) without and with its response
    cache, without compiled answers (every request through the GraphQL executor), and the peer
    (node): their URLs."""
    ports = [server.free_port() for _ in range(4)]
    urls = [f"http://127.0.0.1:{port}/graphql" for port in ports]
    shared_env = {  # every server's: ours, with where Neo4j is
        **os.environ,
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
    }

    def api(port: int, cache_mb: int, *, compiled: bool = True) -> Any:
        command = api_command(port, workers)
        return server_process(
            command,
            {
                **shared_env,
                "PYTHONPATH": str(PROJECT_ROOT),
                "PHARMAKG_RESPONSE_CACHE_MB": str(cache_mb),
                "PHARMAKG_COMPILED_ANSWERS": str(compiled).lower(),
            },
            PROJECT_ROOT,
        )

    peer_env = {**shared_env, "PORT": str(ports[3])}
    with (
        api(ports[0], 0) as plain,
        api(ports[1], CACHE_MB) as cached,
        api(ports[2], 0, compiled=False) as executor,
        server_process(["node", "server.mjs"], peer_env, PEER_DIR) as peer,
    ):
        for url, child in zip(urls, (plain, cached, executor, peer), strict=True):
            await wait_answering(url, child)
        yield urls


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Counts:
    retries: int = 0
    errors: int = 0
    messages: list[str] = field(default_factory=list)


Call = Callable[[], Awaitable[None]]


def graphql_call(
    client: aiohttp.ClientSession, url: str, operation: Operation, counts: Counts
) -> Call:
    """A POST that retries a dropped connection and counts it; a GraphQL error is counted."""
    body = {"query": operation.query, "variables": operation.variables}

    async def call() -> None:
        for attempt in range(RETRIES):
            try:
                async with client.post(url, json=body) as response:
                    answer = await response.json(content_type=None)
            except (TimeoutError, aiohttp.ClientConnectionError) as error:
                counts.retries += 1
                if attempt == RETRIES - 1:
                    counts.errors += 1
                    counts.messages.append(repr(error))
                continue
            if response.status != 200 or answer.get("errors"):
                counts.errors += 1
                if len(counts.messages) < 3:
                    counts.messages.append(str(answer)[:300])
            return

    return call


def cypher_call(reader: reads.Reader, statements: Sequence[Query], counts: Counts) -> Call:
    async def call() -> None:
        for attempt in range(RETRIES):
            try:
                for query, params in statements:
                    await reads.fetch(reader, query, params)
            except GraphUnavailableError as error:
                counts.retries += 1
                if attempt == RETRIES - 1:
                    counts.errors += 1
                    counts.messages.append(repr(error))
                continue
            except GraphError as error:
                counts.errors += 1
                counts.messages.append(repr(error)[:300])
            return

    return call


async def alternate(
    calls: Sequence[Call], clients: int, total: int, rounds: int = ROUNDS
) -> list[tuple[list[float], float]]:
    """Every path ``total`` times, in rounds of alternating order (A B C, C B A, ...)."""
    pooled: list[tuple[list[float], float]] = [([], 0.0) for _ in calls]
    per_round = max(clients, total // rounds)
    for index in range(rounds):
        order = range(len(calls)) if index % 2 == 0 else reversed(range(len(calls)))
        for which in order:
            measured, elapsed = await latencies(calls[which], clients, per_round)
            pooled[which] = (pooled[which][0] + measured, pooled[which][1] + elapsed)
    return pooled


async def answer(client: aiohttp.ClientSession, url: str, operation: Operation) -> Json:
    body = {"query": operation.query, "variables": operation.variables}
    async with client.post(url, json=body) as response:
        reply = await response.json(content_type=None)
    if reply.get("errors"):
        raise RuntimeError(f"{url}: {str(reply['errors'])[:500]}")
    return reply["data"]


def load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


async def bench(
    settings: Settings,
    items: Sequence[Question],
    entities: Sequence[str],
    *,
    requests: int,
    workers: int,
    zipf: bool,
    sink: Callable[[dict[str, Any]], None],
) -> list[dict[str, Any]]:
    driver = AsyncGraphDatabase.driver(settings.neo4j_uri, auth=settings.auth)
    reader = reads.Reader(driver, settings.neo4j_database, settings.query_timeout_seconds)
    rows: list[dict[str, Any]] = []
    try:
        async with (
            servers(settings, workers) as (ours_url, cached_url, executor_url, peer_url),
            aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=60.0), connector=aiohttp.TCPConnector(limit=128)
            ) as client,
        ):
            for question in items:
                row_base = {"question": question.name, "variables": question.ours.variables}
                try:
                    mine = question.ours_answer(await answer(client, ours_url, question.ours))
                    theirs = question.peer_answer(await answer(client, peer_url, question.peer))
                except (
                    RuntimeError,
                    KeyError,
                    TypeError,
                    ValueError,
                    aiohttp.ClientError,
                    TimeoutError,
                ) as error:  # one question failing is not the run's end
                    row = {**row_base, "answers_equal": False, "error": repr(error)[:2000]}
                    rows.append(row)
                    sink(row)
                    continue
                if mine != theirs:
                    row = {
                        **row_base,
                        "answers_equal": False,
                        "ours": repr(mine)[:2000],
                        "peer": repr(theirs)[:2000],
                    }
                    rows.append(row)
                    sink(row)
                    continue
                statements = await record_cypher(settings, question.ours)
                counts = {path: Counts() for path in PATHS}
                calls = [
                    graphql_call(client, ours_url, question.ours, counts["pharmakg"]),
                    graphql_call(client, executor_url, question.ours, counts["executor"]),
                    graphql_call(client, peer_url, question.peer, counts["peer"]),
                    cypher_call(reader, statements, counts["cypher"]),
                ]
                await alternate(calls, 4, WARM_UP)
                for clients in CONCURRENCY:
                    for path_counts in counts.values():
                        path_counts.retries = path_counts.errors = 0
                    pooled = await alternate(calls, clients, requests)
                    row = {
                        **row_base,
                        "answers_equal": True,
                        "clients": clients,
                        "statements": len(statements),
                        "workers": workers,
                        "load_average": load_average(),
                    }
                    for path, (measured, elapsed) in zip(PATHS, pooled, strict=True):
                        cell = timing(measured, elapsed)
                        row |= {
                            f"{path}_p50_ms": round(cell.p50_ms, 2),
                            f"{path}_p99_ms": round(cell.p99_ms, 2),
                            f"{path}_per_s": round(cell.per_second, 1),
                            f"{path}_retries": counts[path].retries,
                            f"{path}_errors": counts[path].errors,
                        }
                        if counts[path].messages:
                            row[f"{path}_messages"] = counts[path].messages[:3]
                    rows.append(row)
                    sink(row)
            urls = {"pharmakg_cached": cached_url, "pharmakg": ours_url, "peer": peer_url}
            if zipf:
                rows += await zipf_rows(
                    client, urls, entities, requests=requests, workers=workers, sink=sink
                )
    finally:
        await driver.close()
    return rows


def zipf_ids(entities: Sequence[str], count: int, seed: int = 11) -> list[str]:
    """``count`` draws from ``entities`` by a Zipf law (rank r has weight 1 / r^ZIPF_S)."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** ZIPF_S for rank in range(len(entities))]
    return rng.choices(list(entities), weights, k=count)


def zipf_call(
    client: aiohttp.ClientSession, url: str, query: str, ids: Sequence[str], counts: Counts
) -> Call:
    """The typed-relations question, for the next entity of ``ids`` at every call."""
    position = 0

    async def call() -> None:
        nonlocal position
        entity = ids[position % len(ids)]
        position += 1
        await graphql_call(client, url, Operation("zipf", query, {"id": entity}), counts)()

    return call


async def zipf_rows(
    client: aiohttp.ClientSession,
    urls: dict[str, str],
    entities: Sequence[str],
    *,
    requests: int,
    workers: int,
    sink: Callable[[dict[str, Any]], None],
) -> list[dict[str, Any]]:
    """Cache on against cache off and the peer: the typed-relations question for entities
    drawn by a Zipf law (the same sequence for every path), after a warm-up of the same law."""
    rows: list[dict[str, Any]] = []

    def query(path: str) -> str:
        return PEER_TYPED if path == "peer" else OURS_TYPED

    warm = zipf_ids(entities, ZIPF_WARM_UP, seed=12)
    warm_calls = [zipf_call(client, urls[p], query(p), warm, Counts()) for p in CACHE_PATHS]
    await alternate(warm_calls, 8, ZIPF_WARM_UP, rounds=1)
    ids = zipf_ids(entities, 4 * requests * len(CONCURRENCY))
    for clients in CONCURRENCY:
        counts = {path: Counts() for path in CACHE_PATHS}
        calls = [
            zipf_call(client, urls[path], query(path), ids, counts[path]) for path in CACHE_PATHS
        ]
        pooled = await alternate(calls, clients, 2 * requests)
        row: dict[str, Any] = {
            "question": f"typed relations, Zipf over {len(entities):,} entities",
            "answers_equal": True,
            "clients": clients,
            "workers": workers,
            "load_average": load_average(),
        }
        for path, (measured, elapsed) in zip(CACHE_PATHS, pooled, strict=True):
            cell = timing(measured, elapsed)
            row |= {
                f"{path}_p50_ms": round(cell.p50_ms, 2),
                f"{path}_p99_ms": round(cell.p99_ms, 2),
                f"{path}_per_s": round(cell.per_second, 1),
                f"{path}_retries": counts[path].retries,
                f"{path}_errors": counts[path].errors,
            }
        rows.append(row)
        sink(row)
    return rows


def line(row: dict[str, Any]) -> str:
    if "pharmakg_cached_per_s" in row:
        ratio = row["pharmakg_cached_per_s"] / row["peer_per_s"] if row["peer_per_s"] else 0.0
        return (
            f"| {row['question']} | {row['clients']} | cache on: "
            f"{row['pharmakg_cached_per_s']:.0f} req/s, p99 {row['pharmakg_cached_p99_ms']:.1f}"
            f" ms | cache off: {row['pharmakg_per_s']:.0f} | peer: {row['peer_per_s']:.0f} | "
            f"cache on / peer {ratio:.2f}x | | | | | | {row['load_average']} |"
        )
    if not row.get("answers_equal"):
        return f"| {row['question']} | answers differ: not timed | | | | | | | | | |"
    ratio = row["pharmakg_per_s"] / row["peer_per_s"] if row["peer_per_s"] else float("inf")
    floor = row["pharmakg_p50_ms"] / row["cypher_p50_ms"] if row["cypher_p50_ms"] else float("inf")
    return (
        f"| {row['question']} | {row['clients']} | {row['statements']} | "
        f"{row['pharmakg_per_s']:.0f} | {row.get('executor_per_s', 0):.0f} | "
        f"{row['peer_per_s']:.0f} | {ratio:.2f}x | "
        f"{row['pharmakg_p99_ms']:.1f} | {row['peer_p99_ms']:.1f} | "
        f"{row['cypher_p50_ms']:.1f} | {floor:.2f}x | {row['load_average']} |"
    )


HEADER = (
    "| question | clients | statements | PharmaKG req/s | executor req/s | peer req/s | "
    "ours / peer | PharmaKG p99 ms | peer p99 ms | Cypher p50 ms | ours p50 / Cypher p50 | "
    "load avg |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)


def measure_all(
    report: Report = print,
    *,
    edges: int = 100_000,
    requests: int = 120,
    workers: int | None = None,
    only: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    # As `pharmakg serve` would pick them beside the benchmark's Neo4j, on this machine.
    workers = workers or Settings(neo4j_uri="bolt://127.0.0.1").api_workers
    # A TERM (a CI timeout, kill) unwinds like Ctrl-C: the servers and Neo4j are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    npm_ci()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    cells = RESULTS_DIR / f"peer-{stamp}.jsonl"
    report(
        f"## PharmaKG vs @neo4j/graphql ({os.cpu_count()} CPUs, load average "
        f"{load_average()}; {edges:,} edges; {requests} requests per cell and path; "
        f"API workers: {workers}; cells in {cells})\n"
    )
    report(HEADER)

    def sink(row: dict[str, Any]) -> None:
        with cells.open("a", encoding="utf-8") as out:
            out.write(json.dumps(row) + "\n")
        report(line(row))

    with tempfile.TemporaryDirectory(prefix="pharmakg-peer-") as tmp:
        cfg = start_neo4j(Path(tmp))
        try:
            settings = Settings(
                neo4j_uri=cfg.bolt_uri, neo4j_password=PASSWORD, PHARMAKG_RESPONSE_CACHE_MB=0
            )
            with GraphDatabase.driver(cfg.bolt_uri, auth=("neo4j", PASSWORD)) as driver:
                load_synthetic(driver, edges, report)
                graph_version.bump(driver)  # loaded by the writer alone: the cache needs it
                items = [
                    q
                    for q in questions(driver)
                    if only is None or any(part in q.name for part in only)
                ]
                entities = [
                    r["id"]
                    for r in driver.execute_query(
                        "MATCH (c:Alkaloid) RETURN c.id AS id ORDER BY c.id LIMIT $n",
                        n=ZIPF_ENTITIES,
                    ).records
                ]
            rows = uvloop.run(
                bench(
                    settings,
                    items,
                    entities,
                    requests=requests,
                    workers=workers,
                    zipf=only is None or "zipf" in only,
                    sink=sink,
                )
            )
        finally:
            server.stop(cfg)
    return rows


# -- python -m benchmarks (add_arguments / run) and python -m benchmarks.peer_bench ----------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("peer", "PharmaKG against @neo4j/graphql (peer_bench)")
    group.add_argument(
        "--peer-edges",
        type=int,
        default=100_000,
        help="edges of the synthetic graph [100,000; --quick: 20,000]",
    )
    group.add_argument(
        "--peer-requests",
        type=int,
        default=120,
        help="requests per cell and path [120; --quick: 40]",
    )
    group.add_argument(
        "--peer-workers",
        type=int,
        default=None,
        help="PharmaKG API worker processes [pharmakg serve's: half the cores, Neo4j being "
        "on this machine]",
    )
    group.add_argument(
        "--peer-question",
        action="append",
        default=None,
        help="only the questions whose name contains this (repeatable); "
        "'zipf' for the cached workload",
    )


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    quick = bool(getattr(args, "quick", False))
    return measure_all(
        lambda text: print(text, flush=True),
        edges=20_000 if quick else args.peer_edges,
        requests=40 if quick else args.peer_requests,
        workers=args.peer_workers,
        only=args.peer_question,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true")
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
