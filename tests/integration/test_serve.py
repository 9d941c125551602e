"""`pharmakg serve`: worker processes each on its own socket, replaced when they die, all
stopped by SIGTERM; a port in use is a clear error."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import psutil

from api.settings import PROJECT_ROOT
from graph.server import free_port
from tests.conftest import Neo4jEndpoint
from tests.unit.test_workers import listeners_on

WORKERS = 2


def serve_command(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "api",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(WORKERS),
        "--no-access-log",
    ]


@contextmanager
def serving(endpoint: Neo4jEndpoint, port: int) -> Iterator[subprocess.Popen[str]]:
    env = {
        **os.environ,
        "NEO4J_URI": endpoint.uri,
        "NEO4J_USER": endpoint.user,
        "NEO4J_PASSWORD": endpoint.password,
    }
    process = subprocess.Popen(
        serve_command(port),
        env=env,
        cwd=PROJECT_ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            for child in psutil.Process(process.pid).children(recursive=True):
                child.kill()
        process.communicate()


def workers_of(process: subprocess.Popen[str]) -> list[psutil.Process]:
    """The API workers (not multiprocessing's resource tracker)."""
    children = psutil.Process(process.pid).children()
    return [c for c in children if "resource_tracker" not in " ".join(c.cmdline())]


def wait_until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (httpx.HTTPError, psutil.Error):
            pass
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {condition}")


def answers(port: int, times: int = 20) -> bool:
    """``times`` fresh connections, each answered: every worker's socket is served."""
    for _ in range(times):
        with httpx.Client() as client:
            if client.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code != 200:
                return False
    return True


def test_workers_listen_apart_are_replaced_and_stop_together(
    neo4j_endpoint: Neo4jEndpoint,
) -> None:
    port = free_port()
    with serving(neo4j_endpoint, port) as process:
        wait_until(lambda: answers(port))
        assert listeners_on(port) == WORKERS
        first = workers_of(process)
        assert len(first) == WORKERS

        first[0].kill()  # a worker dies: another takes its socket
        wait_until(lambda: first[0].pid not in [w.pid for w in workers_of(process)])
        wait_until(lambda: len(workers_of(process)) == WORKERS)
        wait_until(lambda: answers(port, times=40))

        running = workers_of(process)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in running)


def test_a_port_in_use_is_a_clear_error(neo4j_endpoint: Neo4jEndpoint) -> None:
    port = free_port()
    with serving(neo4j_endpoint, port) as first:
        wait_until(lambda: answers(port, times=1))
        with serving(neo4j_endpoint, port) as second:
            output, _ = second.communicate(timeout=60)
            assert second.returncode == 1
            assert f"cannot serve on 127.0.0.1:{port}" in output
            assert "in use" in output
        assert first.poll() is None
