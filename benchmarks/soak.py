"""Soak: concurrent clients for a fixed time, a reload in the middle, memory watched throughout.

``--clients`` workers send a fixed mix of requests over loopback to the API served by uvicorn
in its own process: every GraphQL query of ``docs/queries`` (with its default variables), the
RDF and HTML page of an entity, and ``/health``. Halfway through, the curated data is loaded
again (``pipeline.load``, idempotent) while the queries go on. Recorded: requests, errors (any
status other than the expected one, any GraphQL ``errors``), p50/p99 latency overall and during
the reload, and the resident memory of the API process and of Neo4j every few seconds; memory is
"flat" when the peak of the last minute is within 10 % (+16 MiB) of the peak of the first.

The soak starts its own Neo4j in a temporary directory (the jars under ``.neo4j``) and its own
API process, so no other database is touched.

    python -m benchmarks.soak [--duration 300] [--clients 32] [--output soak.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
from neo4j import Driver, GraphDatabase

from api import pipeline
from api.settings import PROJECT_ROOT, Settings
from benchmarks.api_bench import api_command
from benchmarks.report import server_process, wait_healthy
from graph import server
from graph.schema import apply_schema
from graph.stats import delete_all, graph_stats

PASSWORD = "pharmakg-soak"  # noqa: S105 - a throw-away local server on loopback
CURATED = PROJECT_ROOT / "data" / "curated"
QUERIES = PROJECT_ROOT / "docs" / "queries"
ENTITY = "PUBCHEM.COMPOUND:3034396"  # mitragynine
SAMPLE_EVERY = 2.0  # seconds between memory samples
WINDOW = 60.0  # the "first minute" and "last minute" compared for flat memory
FLAT_RATIO = 1.10
FLAT_SLACK = 16 * 2**20  # bytes


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    expect: int = 200


def operations() -> list[Operation]:
    """The mix: each documented GraphQL question, an entity as Turtle and as HTML, health."""
    ops = [
        Operation(f"graphql:{path.stem}", "POST", "/graphql", {"query": path.read_text()})
        for path in sorted(QUERIES.glob("*.graphql"))
    ]
    return [
        *ops,
        Operation("rest:entity.ttl", "GET", f"/entity/{ENTITY}?format=ttl"),
        Operation("rest:entity.html", "GET", f"/entity/{ENTITY}?format=html"),
        Operation("rest:health", "GET", "/health"),
    ]


@dataclass
class Sample:
    at: float
    requests: int
    api_rss: int | None
    neo4j_rss: int | None


@dataclass
class Failure:
    at: float
    operation: str
    detail: str


@dataclass
class SoakResult:
    duration_s: float
    clients: int
    requests: int = 0
    errors: int = 0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    per_second: float = 0.0
    reload_s: float | None = None
    reload_window: tuple[float, float] | None = None
    requests_during_reload: int = 0
    errors_during_reload: int = 0
    p99_during_reload_ms: float | None = None
    graph_before: tuple[int, int] = (0, 0)
    graph_after: tuple[int, int] = (0, 0)
    by_operation: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    memory: dict[str, dict[str, float | bool]] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=dict)

    @property
    def memory_flat(self) -> bool:
        return all(bool(m["flat"]) for m in self.memory.values())


def _rss(pid: int | None) -> int | None:
    if pid is None:
        return None
    try:
        rss: int = psutil.Process(pid).memory_info().rss
    except psutil.Error:
        return None
    return rss


def percentile(ordered: Sequence[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def memory_trend(samples: Sequence[Sample], attribute: str) -> dict[str, float | bool] | None:
    """Peak RSS in the first and the last window (a minute, or a quarter of a short run)."""
    points = [(s.at, getattr(s, attribute)) for s in samples if getattr(s, attribute)]
    if len(points) < 2:
        return None
    end = points[-1][0]
    window = min(WINDOW, end / 4)
    first = max(v for t, v in points if t <= points[0][0] + window)
    last = max(v for t, v in points if t >= end - window)
    return {
        "first_mib": round(first / 2**20, 1),
        "last_mib": round(last / 2**20, 1),
        "growth_pct": round(100 * (last - first) / first, 1),
        "flat": last <= first * FLAT_RATIO + FLAT_SLACK,
    }


def reload_curated(driver: Driver) -> pipeline.LoadReport:
    return pipeline.load(driver, pipeline.CURATED, [CURATED])


def _counts(driver: Driver) -> tuple[int, int]:
    stats = graph_stats(driver)
    return stats.node_total, stats.edge_total


async def soak(
    url: str,
    driver: Driver,
    *,
    duration: float,
    clients: int,
    api_pid: int | None,
    neo4j_pid: int | None,
    reload_at: float = 0.5,
    warmup: int = 1,
) -> SoakResult:
    """``clients`` workers against the API at ``url`` for ``duration`` s; one reload.

    ``warmup`` rounds of the mix are sent one at a time first, outside the figures."""
    result = SoakResult(duration_s=duration, clients=clients, graph_before=_counts(driver))
    mix = operations()
    latencies: list[tuple[float, float]] = []  # (finished at, seconds)
    started = time.monotonic()
    stop_at = started + duration

    def now() -> float:
        return time.monotonic() - started

    async def worker(index: int, client: httpx.AsyncClient) -> None:
        turn = index
        while time.monotonic() < stop_at:
            operation = mix[turn % len(mix)]
            turn += 1
            begun = time.perf_counter()
            detail = await _call(client, operation)
            latencies.append((now(), time.perf_counter() - begun))
            result.requests += 1
            result.by_operation[operation.name] = result.by_operation.get(operation.name, 0) + 1
            if detail is not None:
                result.errors += 1
                if len(result.failures) < 50:
                    result.failures.append(Failure(now(), operation.name, detail[:500]))

    async def sampler() -> None:
        while time.monotonic() < stop_at:
            result.samples.append(
                Sample(round(now(), 2), result.requests, _rss(api_pid), _rss(neo4j_pid))
            )
            await asyncio.sleep(SAMPLE_EVERY)
        result.samples.append(
            Sample(round(now(), 2), result.requests, _rss(api_pid), _rss(neo4j_pid))
        )

    async def reloader() -> None:
        await asyncio.sleep(duration * reload_at)
        begun = now()
        report = await asyncio.to_thread(reload_curated, driver)
        ended = now()
        result.reload_s = round(ended - begun, 2)
        result.reload_window = (round(begun, 2), round(ended, 2))
        if report.rejections:
            result.errors += 1
            result.failures.append(Failure(ended, "reload", f"{report.rejections[:3]}"))

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60.0, limits=limits) as client:
        for _ in range(warmup):  # each operation once, one at a time: caches and JIT warm
            for operation in mix:
                await _call(client, operation)
        started = time.monotonic()
        stop_at = started + duration
        await asyncio.gather(sampler(), reloader(), *(worker(i, client) for i in range(clients)))
    finish(result, latencies, now())
    result.graph_after = _counts(driver)
    return result


def finish(result: SoakResult, latencies: Sequence[tuple[float, float]], elapsed: float) -> None:
    """Percentiles overall and during the reload, throughput, memory trends."""
    ordered = sorted(seconds for _, seconds in latencies)
    if ordered:
        result.p50_ms = round(statistics.median(ordered) * 1000, 2)
        result.p99_ms = round(percentile(ordered, 0.99) * 1000, 2)
    result.per_second = round(result.requests / elapsed, 1)
    if result.reload_window is not None:
        low, high = result.reload_window
        during = sorted(s for at, s in latencies if low <= at <= high)
        result.requests_during_reload = len(during)
        result.errors_during_reload = sum(1 for f in result.failures if low <= f.at <= high)
        if during:
            result.p99_during_reload_ms = round(percentile(during, 0.99) * 1000, 2)
    for name, attribute in (("api", "api_rss"), ("neo4j", "neo4j_rss")):
        trend = memory_trend(result.samples, attribute)
        if trend is not None:
            result.memory[name] = trend


async def _call(client: httpx.AsyncClient, operation: Operation) -> str | None:
    """None when the answer is right; otherwise what was wrong."""
    try:
        response = await client.request(operation.method, operation.path, json=operation.body)
    except httpx.HTTPError as error:
        return f"{type(error).__name__}: {error}"
    if response.status_code != operation.expect:
        return f"HTTP {response.status_code}: {response.text[:300]}"
    if operation.path == "/graphql":
        body = response.json()
        if body.get("errors") or body.get("data") is None:
            return f"GraphQL errors: {body.get('errors')}"
    return None


# -- the API process and the database --------------------------------------------------------


@asynccontextmanager
async def api_process(
    uri: str, password: str, user: str = "neo4j"
) -> AsyncIterator[tuple[str, int]]:
    """`pharmakg serve` (one worker, no access log) in its own process on a loopback port:
    URL, pid."""
    port = server.free_port()
    env = {
        **os.environ,
        "NEO4J_URI": uri,
        "NEO4J_USER": user,
        "NEO4J_PASSWORD": password,
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    env.pop("PHARMAKG_PRODUCTION", None)
    url = f"http://127.0.0.1:{port}"
    with server_process(api_command(port), env, PROJECT_ROOT) as process:
        await wait_healthy(url, process)
        yield url, process.pid


def machine() -> dict[str, Any]:
    load1, load5, load15 = os.getloadavg()
    memory = psutil.virtual_memory()
    return {
        "cpus": os.cpu_count(),
        "load_avg": [round(load1, 2), round(load5, 2), round(load15, 2)],
        "memory_gib": round(memory.total / 2**30, 1),
        "memory_available_gib": round(memory.available / 2**30, 1),
    }


async def run(duration: float, clients: int, warmup: int = 1) -> SoakResult:
    """Own Neo4j, the curated data, own API process; the soak; everything stopped after."""
    with tempfile.TemporaryDirectory(prefix="pharmakg-soak-") as tmp:
        cfg = server.ServerConfig(
            home=Settings().neo4j_home,
            instance_dir=Path(tmp),
            password=PASSWORD,
            bolt_port=server.free_port(),
            http_port=server.free_port(),
            heap="1g",
            pagecache="512m",
        )
        server.start(cfg)
        try:
            with GraphDatabase.driver(cfg.bolt_uri, auth=("neo4j", PASSWORD)) as driver:
                delete_all(driver)
                apply_schema(driver)
                reload_curated(driver)
                before = machine()
                async with api_process(cfg.bolt_uri, PASSWORD) as (url, pid):
                    result = await soak(
                        url,
                        driver,
                        duration=duration,
                        clients=clients,
                        api_pid=pid,
                        neo4j_pid=server.status(cfg).pid,
                        warmup=warmup,
                    )
                result.machine = {"before": before, "after": machine()}
                return result
        finally:
            server.stop(cfg)


def summary(result: SoakResult) -> str:
    lines = [
        f"{result.clients} clients, {result.duration_s:.0f} s: {result.requests} requests "
        f"({result.per_second}/s), {result.errors} errors, p50 {result.p50_ms} ms, "
        f"p99 {result.p99_ms} ms",
        f"reload: {result.reload_s} s at {result.reload_window}; during it "
        f"{result.requests_during_reload} requests, {result.errors_during_reload} errors, "
        f"p99 {result.p99_during_reload_ms} ms",
        f"graph (nodes, edges): before {result.graph_before}, after {result.graph_after}",
    ]
    lines += [
        f"memory {name}: first {m['first_mib']} MiB, last {m['last_mib']} MiB "
        f"({m['growth_pct']:+} %), flat: {m['flat']}"
        for name, m in result.memory.items()
    ]
    lines.append(f"machine: {result.machine}")
    lines += [f"failure: {f}" for f in result.failures[:10]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=300.0, help="seconds (300)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="rounds of the mix sent one at a time before the clock starts (1)",
    )
    parser.add_argument("--output", type=Path, help="write the full result as JSON here")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.duration, args.clients, args.warmup))
    print(summary(result))
    if args.output is not None:
        args.output.write_text(json.dumps(asdict(result), indent=1))
    ok = result.errors == 0 and result.memory_flat and result.graph_after == result.graph_before
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
