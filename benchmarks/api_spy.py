"""Where a served API worker spends its time at one client: py-spy sampling pharmakg serve.

``benchmarks.api_profile`` profiles the app in the benchmark's own process (cProfile, which
costs more the more calls a function makes, and an in-process HTTP client). This one samples
the real thing: ``pharmakg serve --workers 1`` on a loopback port, one client asking a question
over HTTP (aiohttp, as the peer benchmark asks it) for ``--seconds``, and ``py-spy record``
sampling its worker (not the supervisor that hands it connections) meanwhile. py-spy pauses
the worker for each sample (so that it can tell busy from idle), so the requests' p50 is
measured before, unsampled, for as long. Per question it reports that p50 and, of the
worker's busy samples, the share of each stage of a request and of each package's own time.

It needs a Neo4j that holds the synthetic graph (``--load N`` loads N edges first, wiping the
database) and py-spy (``pip install py-spy``; sampling another process may need ptrace rights):

    python -m benchmarks.api_spy --uri bolt://127.0.0.1:7711 --password PW --load 100000
    python -m benchmarks.api_spy --uri bolt://127.0.0.1:7711 --password PW --question typed
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import psutil
from neo4j import GraphDatabase

from api.settings import PROJECT_ROOT
from benchmarks.api_bench import api_command, load_synthetic
from benchmarks.peer_bench import wait_answering
from benchmarks.peer_questions import Question, questions
from benchmarks.report import server_process
from graph import server

# The stages of a request, outermost first, each a function and the end of its file's path: a
# sample counts for the innermost stage on its stack.
STAGES = (
    ("HTTP server and middleware", "RequestResponseCycle.run_asgi", "httptools_impl.py"),
    ("compiled answer: the rest", "CompiledAnswers.answer", "api/graphql/compiled.py"),
    ("the driver's read", "fetch", "graph/reads.py"),
    ("records from the rows", "_read_pages", "graph/reads.py"),
    ("shaping the answer", "_Shaper.shape", "api/graphql/compiled.py"),
)
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*):\d+\)$")  # py-spy's raw frames
_IDLE_THREAD = "Thread._bootstrap"  # threads other than the event loop's (tqdm's monitor)
_NATIVE_LOOP = "event loop, native"


@dataclass(frozen=True)
class Spied:
    """A question's samples: by stage and by package (own time), and the requests' p50."""

    samples: int
    stages: Counter[str]
    packages: Counter[str]
    p50_ms: float
    requests: int


def package_of(path: str) -> str:
    """A frame's package, from the path py-spy gives (relative to its ``sys.path`` entry)."""
    return path.split("/", 1)[0] if "/" in path else path


def summarise(lines: Iterable[str]) -> tuple[int, Counter[str], Counter[str]]:
    """py-spy's raw (collapsed) stacks: the busy samples, by stage and by package."""
    total, stages, packages = 0, Counter[str](), Counter[str]()
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or _IDLE_THREAD in stack:
            continue
        samples = int(count)
        total += samples
        frames = [(m["function"], m["file"]) for m in map(_FRAME.match, stack.split(";")) if m]
        stages[_stage(frames)] += samples
        packages[_package(frames)] += samples
    return total, stages, packages


def _package(frames: Sequence[tuple[str, str]]) -> str:
    """The package of the innermost frame; a sample whose innermost Python frame is the
    event loop's ``run`` is in the loop's native code (uvloop: I/O, callbacks, system calls)."""
    if not frames:
        return "native"
    function, path = frames[-1]
    return _NATIVE_LOOP if function == "Runner.run" else package_of(path)


def _stage(frames: Sequence[tuple[str, str]]) -> str:
    stage = "event loop and other"
    for name, function, path in STAGES:
        if any(f == function and file.endswith(path) for f, file in frames):
            stage = name
    return stage


async def one_client(url: str, question: Question, seconds: float) -> list[float]:
    """Ask ``question`` one request after another for ``seconds``: each latency."""
    body = {"query": question.ours.query, "variables": question.ours.variables}
    latencies: list[float] = []
    async with aiohttp.ClientSession() as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.perf_counter()
            async with client.post(url, json=body) as response:
                answer = await response.json(content_type=None)
            if response.status != 200 or answer.get("errors"):
                raise RuntimeError(f"{question.name}: {str(answer)[:300]}")
            latencies.append(time.perf_counter() - started)
    return latencies


async def spy(question: Question, env: dict[str, str], seconds: float, rate: int) -> Spied:
    port = server.free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    with server_process(api_command(port), env, PROJECT_ROOT) as api:
        await wait_answering(url, api)
        await one_client(url, question, 2.0)  # warm-up: Neo4j's plans, the pool, the caches
        latencies = await one_client(url, question, seconds)  # unsampled: the p50 reported
        with tempfile.TemporaryDirectory(prefix="pharmakg-spy-") as tmp:
            raw = Path(tmp) / "samples.txt"
            record = [
                _py_spy(), "record", "--pid", str(the_worker(api.pid)),
                "--duration", str(round(seconds)),
                "--rate", str(rate), "--format", "raw", "--output", str(raw),
            ]  # fmt: skip
            sampler = await asyncio.create_subprocess_exec(
                *record, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            await one_client(url, question, seconds)
            _, errors = await sampler.communicate()
            if sampler.returncode != 0:
                raise RuntimeError(f"py-spy failed: {errors.decode(errors='replace')[-500:]}")
            with raw.open() as lines:
                total, stages, packages = summarise(lines)
    return Spied(total, stages, packages, statistics.median(latencies) * 1000, len(latencies))


def the_worker(supervisor: int) -> int:
    """The API worker of ``pharmakg serve --workers 1`` (not multiprocessing's helpers)."""
    [worker] = [
        int(child.pid)
        for child in psutil.Process(supervisor).children()
        if "resource_tracker" not in " ".join(child.cmdline())
    ]
    return worker


def _py_spy() -> str:
    found = shutil.which(
        "py-spy", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    )
    if found is None:
        raise SystemExit("py-spy is not installed: pip install py-spy")
    return found


def report(name: str, spied: Spied) -> str:
    def shares(counts: Counter[str]) -> str:
        shown = [(key, n / spied.samples) for key, n in counts.most_common()]
        return ", ".join(f"{key} {share:.0%}" for key, share in shown if share >= 0.01)

    return (
        f"### {name}\n\n{spied.requests} requests, p50 {spied.p50_ms:.2f} ms; "
        f"{spied.samples} busy samples.\n\n- by stage: {shares(spied.stages)}\n"
        f"- own time by package: {shares(spied.packages)}\n"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uri", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--load", type=int, default=0, help="load N synthetic edges first")
    parser.add_argument("--seconds", type=float, default=15.0, help="sampled per question")
    parser.add_argument("--rate", type=int, default=200, help="samples a second")
    parser.add_argument(
        "--question", action="append", help="only questions whose name contains this"
    )
    args = parser.parse_args(argv)
    with GraphDatabase.driver(args.uri, auth=(args.user, args.password)) as driver:
        if args.load:
            load_synthetic(driver, args.load, print)
        items = [
            q
            for q in questions(driver)
            if not args.question or any(s in q.name for s in args.question)
        ]
    env = {
        **os.environ,
        "NEO4J_URI": args.uri,
        "NEO4J_USER": args.user,
        "NEO4J_PASSWORD": args.password,
        "PYTHONPATH": str(PROJECT_ROOT),
        "PHARMAKG_RESPONSE_CACHE_MB": "0",
    }
    for question in items:
        print(
            report(question.name, asyncio.run(spy(question, env, args.seconds, args.rate))),
            flush=True,
        )


if __name__ == "__main__":
    main()
