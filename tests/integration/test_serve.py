"""`pharmakg serve`: one listening socket, connections dealt to the worker holding the fewest;
workers replaced when they die or hang, all stopped by SIGTERM, ending by themselves when the
supervisor is killed; a port in use is a clear error."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import psutil
import pytest

from api.settings import PROJECT_ROOT
from api.workers import Supervisor, listening_socket
from graph.server import free_port
from tests.conftest import Neo4jEndpoint

WORKERS = 2


def serve_command(port: int, workers: int = WORKERS) -> list[str]:
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
        str(workers),
        "--no-access-log",
    ]


@contextmanager
def serving(
    endpoint: Neo4jEndpoint, port: int, workers: int = WORKERS
) -> Iterator[subprocess.Popen[str]]:
    env = {
        **os.environ,
        "NEO4J_URI": endpoint.uri,
        "NEO4J_USER": endpoint.user,
        "NEO4J_PASSWORD": endpoint.password,
    }
    process = subprocess.Popen(
        serve_command(port, workers),
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


def listeners_on(port: int) -> int:
    """Listening sockets on ``port`` (IPv4, /proc/net/tcp: state 0A is LISTEN)."""
    rows = [line.split() for line in Path("/proc/net/tcp").read_text("ascii").splitlines()[1:]]
    return sum(1 for row in rows if int(row[1].split(":")[1], 16) == port and row[3] == "0A")


def connections_held(worker: psutil.Process, port: int) -> int:
    """The open client connections ``worker`` serves on ``port``."""
    return sum(
        1
        for c in worker.net_connections(kind="tcp")
        if c.laddr and c.laddr.port == port and c.status == psutil.CONN_ESTABLISHED
    )


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


def test_connections_go_to_the_worker_holding_the_fewest(neo4j_endpoint: Neo4jEndpoint) -> None:
    port = free_port()
    with serving(neo4j_endpoint, port) as process:
        wait_until(lambda: answers(port, times=1))
        assert listeners_on(port) == 1  # the supervisor's; the workers accept nothing
        workers = workers_of(process)
        held_by = {w.pid: list[httpx.Client]() for w in workers}

        def held() -> dict[int, int]:
            return {w.pid: connections_held(w, port) for w in workers}

        def open_one() -> None:
            """A keep-alive connection, noted under the worker it went to."""
            before = held()
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}")
            assert client.get("/health", timeout=10).status_code == 200
            wait_until(lambda: sum(held().values()) == sum(before.values()) + 1)
            gained = next(pid for pid, count in held().items() if count > before[pid])
            held_by[gained].append(client)

        try:
            for _ in range(8):
                open_one()
            assert sorted(len(clients) for clients in held_by.values()) == [4, 4]

            # One worker's connections all closed: the next four all go to it (dealt in turn,
            # or by a hash, they would not: 2/2 at best).
            emptied = workers[0].pid
            for client in held_by.pop(emptied):
                client.close()
            held_by[emptied] = []
            wait_until(lambda: held()[emptied] == 0)
            time.sleep(0.5)  # the worker's reports of the closed ones reach the supervisor
            for _ in range(4):
                open_one()
            assert sorted(held().values()) == [4, 4]
            assert len(held_by[emptied]) == 4
            assert connections_held(psutil.Process(process.pid), port) == 0
        finally:
            for clients in held_by.values():
                for client in clients:
                    client.close()


@pytest.mark.parametrize("workers", [1, WORKERS])
def test_workers_are_replaced_and_stop_together(
    neo4j_endpoint: Neo4jEndpoint, workers: int
) -> None:
    """A lone worker (the default on 2 cores beside Neo4j) is supervised as well."""
    port = free_port()
    with serving(neo4j_endpoint, port, workers) as process:
        wait_until(lambda: answers(port))
        first = workers_of(process)
        assert len(first) == workers

        first[0].kill()  # a worker dies: another takes its place
        wait_until(lambda: first[0].pid not in [w.pid for w in workers_of(process)])
        wait_until(lambda: len(workers_of(process)) == workers)
        wait_until(lambda: answers(port, times=40))

        running = workers_of(process)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in running)


def test_workers_end_when_the_supervisor_is_killed(neo4j_endpoint: Neo4jEndpoint) -> None:
    port = free_port()
    with serving(neo4j_endpoint, port) as process:
        wait_until(lambda: answers(port, times=1))
        running = workers_of(process)
        process.kill()  # no chance to stop them: they see their channel close
        process.wait(timeout=10)
        _, alive = psutil.wait_procs(running, timeout=30)
        for worker in alive:  # else the pipe they hold would keep the test waiting for ever
            worker.kill()
        assert not alive, alive


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


def test_a_hung_worker_is_killed_and_replaced() -> None:
    """A worker whose event loop is stuck (here: stopped) still looks alive; unanswered
    pings get it killed and replaced."""
    listener = listening_socket("127.0.0.1", free_port())
    stopped: list[int] = []
    with Supervisor(listener, WORKERS, access_log=False, hung_seconds=3.0) as supervisor:
        running = threading.Thread(target=supervisor.run)
        running.start()
        try:
            wait_until(lambda: all(w.heard is not None for w in supervisor.workers))
            hung = supervisor.workers[0].process
            assert hung.pid is not None
            os.kill(hung.pid, signal.SIGSTOP)
            stopped.append(hung.pid)
            wait_until(lambda: hung not in [w.process for w in supervisor.workers], 30)
            assert hung.exitcode == -signal.SIGKILL
            wait_until(lambda: all(w.heard is not None for w in supervisor.workers))
            assert all(w.process.is_alive() for w in supervisor.workers)
        finally:
            supervisor.stop()
            running.join()
            for pid in stopped:  # not left stopped if the supervisor failed to kill it
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
