"""Where one API request spends its Python time: the peer benchmark's questions, profiled.

Each question of ``benchmarks.peer_bench`` (typical entity and hub) is asked ``--requests``
times, one after another, of the API in this process (ASGI, no network, response cache off),
then as many times again under cProfile; the report gives the wall and the process CPU time
per request (the CPU time is the API's own: Neo4j runs elsewhere), the Cypher statements
per request, and the profile's own time by package and its top frames.

It needs a Neo4j that holds the synthetic graph: ``--load N`` loads N edges first (wiping the
database). Run it against two checkouts (``PYTHONPATH=<other checkout>``) on the same server
to compare code before and after a change:

    python -m benchmarks.api_profile --uri bolt://127.0.0.1:7701 --password PW --load 20000
    python -m benchmarks.api_profile --uri bolt://127.0.0.1:7701 --password PW --requests 200
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import time
from collections import Counter
from collections.abc import Sequence

import httpx
from neo4j import GraphDatabase

from api.app import create_app
from api.settings import Settings
from benchmarks.api_bench import load_synthetic, record_cypher
from benchmarks.peer_questions import questions

PACKAGES = (
    "strawberry",
    "graphql",
    "neo4j",
    "pydantic",
    "starlette",
    "fastapi",
    "httpx",
    "asyncio",
    "orjson",
    "api",
    "graph",
    "ontology",
)


def package_of(filename: str) -> str:
    """The package a frame's file belongs to (``~`` for built-ins)."""
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins"
    parts = filename.replace("\\", "/").split("/")
    for part in reversed(parts[:-1]):
        if part in PACKAGES:
            return part
    return "other"


def by_package(stats: pstats.Stats) -> Counter[str]:
    """Own time per package; waiting for Neo4j's answers (epoll) apart, as "waiting"."""
    own: Counter[str] = Counter()
    for (filename, _, name), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        own["waiting" if "select.epoll" in name else package_of(filename)] += tottime
    return own


async def ask(
    settings: Settings,
    operation_query: str,
    variables: dict[str, object],
    requests: int,
    profiler: cProfile.Profile,
) -> tuple[float, float]:
    app = create_app(settings)
    body = {"query": operation_query, "variables": variables}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://profile") as client,
    ):
        for _ in range(10):  # warm-up: JIT of Neo4j, connection pool, strawberry's caches
            (await client.post("/graphql", json=body)).raise_for_status()
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(requests):  # unprofiled: wall and CPU time per request
            (await client.post("/graphql", json=body)).raise_for_status()
        wall = (time.perf_counter() - started) / requests
        cpu = (time.process_time() - cpu) / requests
        profiler.enable()
        for _ in range(requests):
            (await client.post("/graphql", json=body)).raise_for_status()
        profiler.disable()
        return wall, cpu


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uri", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--load", type=int, default=0, help="load N synthetic edges first")
    parser.add_argument("--requests", type=int, default=200, help="requests per question")
    parser.add_argument("--top", type=int, default=15, help="frames listed")
    args = parser.parse_args(argv)
    settings = Settings(
        neo4j_uri=args.uri, neo4j_password=args.password, PHARMAKG_RESPONSE_CACHE_MB=0
    )
    with GraphDatabase.driver(args.uri, auth=("neo4j", args.password)) as driver:
        if args.load:
            load_synthetic(driver, args.load, print)
        items = questions(driver)
    profiler = cProfile.Profile()
    print(
        "| question | wall ms per request | Python CPU ms per request | statements |\n"
        "|---|---:|---:|---:|"
    )
    for question in items:
        statements = asyncio.run(record_cypher(settings, question.ours))
        wall, cpu = asyncio.run(
            ask(settings, question.ours.query, question.ours.variables, args.requests, profiler)
        )
        print(
            f"| {question.name} | {wall * 1000:.2f} | {cpu * 1000:.2f} | {len(statements)} |",
            flush=True,
        )
    stats = pstats.Stats(profiler)
    total = sum(by_package(stats).values())
    print(
        "\nown time by package: "
        + ", ".join(
            f"{name} {seconds / total:.1%}" for name, seconds in by_package(stats).most_common()
        )
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
