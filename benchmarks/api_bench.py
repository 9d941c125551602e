"""GraphQL API benchmark: latency and throughput against the same Cypher through the driver.

For a lookup, a search and ``studiesConnecting`` at 1, 8 and 32 concurrent clients, on the
curated graph and on the synthetic 1M-edge graph (``benchmarks.synthetic``):

- API: HTTP POSTs over loopback to the API served by uvicorn in a separate process;
- direct: the very Cypher statements (text and parameters) the API sends for that request,
  recorded once through a proxy driver, replayed through the async driver in read
  transactions with the same timeout, from this process, in the same run.

The two paths are warmed up, then measured in alternating rounds (ABBA), so neither gains
from going second. The ratio of the two p50s is the API's overhead. Both sides run on uvloop
(the API under uvicorn[standard]); the HTTP client is aiohttp.

The benchmark starts its own Neo4j server in a temporary directory (the Maven jars under
``.neo4j``), so no other database is touched.

    python -m benchmarks --only api            # with the other benchmarks' conventions
    python -m benchmarks.api_bench [--api-edges 1000000] [--api-requests 300] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import uvloop
from neo4j import AsyncGraphDatabase, Driver, GraphDatabase

from api import pipeline
from api.app import create_app
from api.settings import PROJECT_ROOT, Settings
from benchmarks.report import server_process, wait_healthy
from graph import reads, server
from graph.schema import apply_schema
from graph.stats import delete_all, graph_stats
from graph.writer import Writer

PASSWORD = "pharmakg-bench"  # noqa: S105 - a throw-away local server on loopback
CONCURRENCY = (1, 8, 32)
TARGET_OVERHEAD = 1.5  # API p50 / direct p50 with one client
TARGET_P99_MS = 100.0  # studiesConnecting at 32 clients on the 1M-edge graph
WARM_UP_REQUESTS = 400  # per path and operation, before anything is measured
ROUNDS = 4  # the two paths alternate in rounds (ABBA): neither gains from going second

Report = Callable[[str], object]
Query = tuple[str, dict[str, Any]]

LOOKUP = """query ($id: ID!) { entity(id: $id) { __typename
  ... on Entity { id iri name synonyms xrefs { curie iri } } } }"""
SEARCH = """query ($text: String!) { search(text: $text, first: 10) {
  totalCount nodes { score entity { __typename id name } } } }"""
CONNECTING = """query ($entities: [String!]!) { studiesConnecting(entities: $entities, first: 10) {
  __typename ... on ConnectingStudies { studies { totalCount nodes {
    study { id title design species sampleSize year }
    grade { score letter designWeight speciesWeight sampleSizeWeight directnessWeight }
    paths { term nodes { id name } hops { predicate direction
      evidence { citations { curie iri } source studyDesign direction result } } } } } } } }"""


@dataclass(frozen=True)
class Operation:
    name: str
    query: str
    variables: dict[str, Any]


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p99_ms: float
    per_second: float


@dataclass(frozen=True)
class Row:
    graph: str
    operation: str
    clients: int
    api: Timing
    direct: Timing
    round_trips: int

    @property
    def overhead(self) -> float:
        return self.api.p50_ms / self.direct.p50_ms if self.direct.p50_ms else float("inf")


# -- measuring -------------------------------------------------------------------------------


async def latencies(
    call: Callable[[], Awaitable[None]], clients: int, total: int
) -> tuple[list[float], float]:
    """``total`` calls by ``clients`` concurrent workers: each call's latency, and the wall."""
    measured: list[float] = []
    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            await call()
            measured.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return measured, time.perf_counter() - started


def api_command(port: int, workers: int = 1) -> list[str]:
    """The API on loopback as ``pharmakg serve`` serves it (no access log), for every
    benchmark."""
    return [sys.executable, "-m", "api", "serve", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--no-access-log"]  # fmt: skip


def timing(measured: Sequence[float], elapsed: float) -> Timing:
    ordered = sorted(measured)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return Timing(
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=p99 * 1000,
        per_second=len(ordered) / elapsed,
    )


async def measure(call: Callable[[], Awaitable[None]], clients: int, total: int) -> Timing:
    """Latency percentiles and throughput of ``total`` calls by ``clients`` workers."""
    return timing(*await latencies(call, clients, total))


async def measure_pair(
    first: Callable[[], Awaitable[None]],
    second: Callable[[], Awaitable[None]],
    clients: int,
    total: int,
    rounds: int = ROUNDS,
) -> tuple[Timing, Timing]:
    """Both paths in alternating rounds (ABBA...), so drift in the machine, in Neo4j's JIT or
    in its caches over the run falls on both alike rather than on whichever ran first."""
    collected: dict[int, tuple[list[float], list[float]]] = {0: ([], []), 1: ([], [])}
    per_round = max(clients, total // rounds)
    for index in range(rounds):
        order = (0, 1) if index % 2 == 0 else (1, 0)
        for which in order:
            measured, elapsed = await latencies((first, second)[which], clients, per_round)
            collected[which][0].extend(measured)
            collected[which][1].append(elapsed)
    return (
        timing(collected[0][0], sum(collected[0][1])),
        timing(collected[1][0], sum(collected[1][1])),
    )


class _RecordingSession:
    def __init__(self, session: Any, log: list[Query]) -> None:
        self._session, self._log = session, log

    async def __aenter__(self) -> _RecordingSession:
        await self._session.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._session.__aexit__(*exc)

    async def run(self, statement: Any, params: dict[str, Any] | None = None) -> Any:
        self._log.append((str(getattr(statement, "text", statement)), dict(params or {})))
        return await self._session.run(statement, params)


class _RecordingDriver:
    def __init__(self, driver: Any) -> None:
        self._driver = driver
        self.log: list[Query] = []

    def session(self, **kwargs: Any) -> _RecordingSession:
        return _RecordingSession(self._driver.session(**kwargs), self.log)


async def record_cypher(settings: Settings, operation: Operation) -> list[Query]:
    """The Cypher statements the API sends to answer ``operation``, in order."""
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://bench") as client,
    ):
        recorder = _RecordingDriver(app.state.driver)
        app.state.driver = recorder
        app.state.lean_reads = None  # every statement through the recording driver
        response = await client.post(
            "/graphql", json={"query": operation.query, "variables": operation.variables}
        )
        body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"{operation.name} failed: {body['errors']}")
    return recorder.log


# -- the servers -----------------------------------------------------------------------------


@asynccontextmanager
async def api_process(settings: Settings) -> Any:
    """The API in its own process (`pharmakg serve`, one worker, no access log) on a
    loopback port."""
    port = server.free_port()
    env = {
        **os.environ,
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    url = f"http://127.0.0.1:{port}"
    with server_process(api_command(port), env, PROJECT_ROOT) as process:
        await wait_healthy(url, process)
        # aiohttp: per request it costs the client about half what httpx does, and the
        # client's cost is not the API's.
        async with aiohttp.ClientSession(
            base_url=url,
            timeout=aiohttp.ClientTimeout(total=30.0),
            connector=aiohttp.TCPConnector(limit=64),
        ) as client:
            yield client


def start_neo4j(instance: Path) -> server.ServerConfig:
    cfg = server.ServerConfig(
        home=Settings().neo4j_home,
        instance_dir=instance,
        password=PASSWORD,
        bolt_port=server.free_port(),
        http_port=server.free_port(),
        heap="3g",
        pagecache="3g",
    )
    server.start(cfg)
    return cfg


# -- the graphs ------------------------------------------------------------------------------


def load_curated(driver: Driver, report: Report) -> None:
    del report
    delete_all(driver)
    apply_schema(driver)
    pipeline.load(driver, pipeline.CURATED, [PROJECT_ROOT / "data" / "curated"])


def curated_operations(driver: Driver) -> list[Operation]:
    del driver
    return [
        Operation("lookup", LOOKUP, {"id": "PUBCHEM.COMPOUND:3034396"}),
        Operation("search", SEARCH, {"text": "opioid receptor"}),
        Operation(
            "studiesConnecting",
            CONNECTING,
            {"entities": ["mitragynine", "opioid receptor", "anxiety"]},
        ),
    ]


# A compound with a given number of studies, a target family and a condition one of its
# studies links (through a member and an outcome measure).
_TRIPLE = """
MATCH (c:Alkaloid)
WITH c, COUNT { (c)<-[:INVESTIGATES]-() } AS degree
WHERE $low <= degree <= $high
WITH c, degree ORDER BY degree DESC LIMIT 50
MATCH (c)<-[:INVESTIGATES]-(s:Study)-[:TESTS_MECHANISM]->()-[:MEMBER_OF]->(f:TargetFamily)
MATCH (s)-[:MEASURES]->(:OutcomeMeasure)-[:OUTCOME_OF]->(d:Condition)
RETURN [c.id, f.id, d.id] AS entities LIMIT 1"""
TYPICAL_STUDIES = (20, 60)  # as many studies as mitragynine has in the curated data, or more


def load_synthetic(driver: Driver, edges: int, report: Report) -> None:
    from benchmarks.synthetic import generate  # noqa: PLC0415 - owned by another module

    delete_all(driver)
    apply_schema(driver)
    started = time.monotonic()
    Writer(driver, batch_size=10_000).write(generate(edges), atomic=False)
    apply_schema(driver)  # waits for the indexes to be online
    stats = graph_stats(driver)
    report(
        f"_synthetic graph: {stats.node_total:,} nodes, {stats.edge_total:,} edges, loaded "
        f"in {time.monotonic() - started:.0f} s_\n"
    )


def synthetic_operations(driver: Driver) -> list[Operation]:
    """studiesConnecting twice: for a compound with a typical number of studies, and for the
    hub compound (the most studies), where three sets of ~10,000 studies intersect."""
    typical = driver.execute_query(
        _TRIPLE, low=TYPICAL_STUDIES[0], high=TYPICAL_STUDIES[1]
    ).records[0]["entities"]
    hub = driver.execute_query(_TRIPLE, low=0, high=10**9).records[0]["entities"]
    return [
        Operation("lookup", LOOKUP, {"id": typical[0]}),
        Operation("search", SEARCH, {"text": "withdrawal score"}),
        Operation("studiesConnecting", CONNECTING, {"entities": typical}),
        Operation("studiesConnecting (hub)", CONNECTING, {"entities": hub}),
    ]


# -- one graph -------------------------------------------------------------------------------


async def bench_graph(
    graph: str, settings: Settings, operations: Sequence[Operation], requests: int
) -> list[Row]:
    driver = AsyncGraphDatabase.driver(settings.neo4j_uri, auth=settings.auth)
    reader = reads.Reader(driver, settings.neo4j_database, settings.query_timeout_seconds)
    rows: list[Row] = []
    try:
        async with api_process(settings) as client:
            for operation in operations:
                cypher = await record_cypher(settings, operation)
                payload = {"query": operation.query, "variables": operation.variables}

                async def via_api(body: dict[str, Any] = payload) -> None:
                    async with client.post("/graphql", json=body) as response:
                        answer = await response.json()
                        if response.status != 200 or "errors" in answer:
                            raise RuntimeError(str(answer)[:500])

                async def direct(statements: list[Query] = cypher) -> None:
                    for query, params in statements:
                        await reads.fetch(reader, query, params)

                # Warm-up: plans cached, pools filled, and Neo4j's JIT past its first tiers
                # on this query (a few dozen calls left the first path measured slower).
                await measure_pair(via_api, direct, 4, WARM_UP_REQUESTS, rounds=2)
                for clients in CONCURRENCY:
                    api, base = await measure_pair(via_api, direct, clients, requests)
                    rows.append(Row(graph, operation.name, clients, api, base, len(cypher)))
    finally:
        await driver.close()
    return rows


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| graph | operation | clients | Cypher queries | API p50 ms | API p99 ms | "
        "API req/s | driver p50 ms | driver p99 ms | driver req/s | overhead (p50) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.graph} | {r.operation} | {r.clients} | {r.round_trips} | "
        f"{r.api.p50_ms:.1f} | {r.api.p99_ms:.1f} | {r.api.per_second:.0f} | "
        f"{r.direct.p50_ms:.1f} | {r.direct.p99_ms:.1f} | {r.direct.per_second:.0f} | "
        f"{r.overhead:.2f}x |"
        for r in rows
    ]
    return "\n".join(lines) + "\n"


def verdicts(rows: Sequence[Row], synthetic_graph: str | None) -> str:
    single = [r for r in rows if r.clients == 1]
    worst = max(single, key=lambda r: r.overhead)
    lines = [
        f"- overhead at p50 with one client: worst {worst.overhead:.2f}x "
        f"({worst.graph}, {worst.operation}); target <= {TARGET_OVERHEAD}x: "
        f"{'met' if worst.overhead <= TARGET_OVERHEAD else 'NOT met'}"
    ]
    target = [
        r
        for r in rows
        if r.graph == synthetic_graph
        and r.clients == max(CONCURRENCY)
        and r.operation == "studiesConnecting"
    ]
    if target:
        p99 = target[0].api.p99_ms
        lines.append(
            f"- studiesConnecting p99 at {max(CONCURRENCY)} clients on the "
            f"{synthetic_graph} graph: {p99:.1f} ms; target <= {TARGET_P99_MS:.0f} ms: "
            f"{'met' if p99 <= TARGET_P99_MS else 'NOT met'}"
        )
    else:
        lines.append("- studiesConnecting p99 on the 1M-edge graph: not measured")
    return "\n".join(lines) + "\n"


# -- the whole run ---------------------------------------------------------------------------


def measure_all(
    report: Report = print,
    *,
    edges: int = 1_000_000,
    requests: int = 300,
    graphs: Sequence[str] = ("curated", "synthetic"),
    uri: str | None = None,
    password: str | None = None,
    load: bool = True,
) -> list[Row]:
    """Benchmark the API on the curated graph and on a synthetic graph of ``edges`` edges.

    By default on a Neo4j of its own (a temporary directory, free ports), loading each graph;
    with ``uri`` on that server instead, which it wipes and loads unless ``load`` is false.
    """
    report(
        f"## GraphQL API ({os.cpu_count()} CPUs, load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}; {requests} requests per cell)\n"
    )
    names = {"curated": "curated", "synthetic": f"synthetic {edges:,} edges"}
    with tempfile.TemporaryDirectory(prefix="pharmakg-bench-") as tmp:
        cfg = start_neo4j(Path(tmp)) if uri is None else None
        bolt = cfg.bolt_uri if cfg else str(uri)
        secret = PASSWORD if cfg else (password or Settings().neo4j_password)
        settings = Settings(neo4j_uri=bolt, neo4j_password=secret)
        rows: list[Row] = []
        try:
            with GraphDatabase.driver(bolt, auth=("neo4j", secret)) as driver:
                for graph in graphs:
                    if load:
                        if graph == "curated":
                            load_curated(driver, report)
                        else:
                            load_synthetic(driver, edges, report)
                    operations = (
                        curated_operations(driver)
                        if graph == "curated"
                        else synthetic_operations(driver)
                    )
                    # uvloop on both sides: the API process gets it from uvicorn[standard].
                    rows += uvloop.run(bench_graph(names[graph], settings, operations, requests))
        finally:
            if cfg:
                server.stop(cfg)
    report(table(rows))
    report(verdicts(rows, names["synthetic"] if "synthetic" in graphs else None))
    return rows


def as_dict(row: Row) -> dict[str, Any]:
    return {
        "graph": row.graph,
        "operation": row.operation,
        "clients": row.clients,
        "cypher_queries": row.round_trips,
        "api_p50_ms": round(row.api.p50_ms, 2),
        "api_p99_ms": round(row.api.p99_ms, 2),
        "api_per_s": round(row.api.per_second, 1),
        "driver_p50_ms": round(row.direct.p50_ms, 2),
        "driver_p99_ms": round(row.direct.p99_ms, 2),
        "driver_per_s": round(row.direct.per_second, 1),
        "overhead_p50": round(row.overhead, 2),
    }


# -- python -m benchmarks (add_arguments / run) and python -m benchmarks.api_bench -----------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("api", "the GraphQL API benchmark (api_bench)")
    group.add_argument(
        "--api-edges",
        type=int,
        default=1_000_000,
        help="edges of the synthetic graph [1,000,000; --quick: 20,000]",
    )
    group.add_argument(
        "--api-requests", type=int, default=300, help="requests per cell [300; --quick: 50]"
    )
    group.add_argument(
        "--api-graph",
        action="append",
        choices=("curated", "synthetic"),
        help="the graphs to measure (repeatable; default: both)",
    )
    group.add_argument(
        "--api-uri",
        help="measure on this Neo4j (password: NEO4J_PASSWORD) "
        "instead of a new one; it is wiped and loaded",
    )
    group.add_argument(
        "--api-no-load", action="store_true", help="with --api-uri: measure the graph already there"
    )


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    quick = bool(getattr(args, "quick", False))
    rows = measure_all(
        lambda text: sys.stdout.write(f"{text}\n"),
        edges=20_000 if quick else args.api_edges,
        requests=50 if quick else args.api_requests,
        graphs=args.api_graph or ("curated", "synthetic"),
        uri=args.api_uri,
        password=os.environ.get("NEO4J_PASSWORD"),
        load=not args.api_no_load,
    )
    return [as_dict(row) for row in rows]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true")
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
