"""The API's listening sockets: one per worker on one port, never beside another server."""

from __future__ import annotations

import gc
import socket
from pathlib import Path

import pytest
from uvicorn.config import STARTUP_FAILURE

from api import workers
from api.workers import frozen_app, listening_sockets
from graph.server import free_port


def listeners_on(port: int) -> int:
    """Listening sockets on ``port`` (IPv4, /proc/net/tcp: state 0A is LISTEN)."""
    rows = [line.split() for line in Path("/proc/net/tcp").read_text("ascii").splitlines()[1:]]
    return sum(1 for row in rows if int(row[1].split(":")[1], 16) == port and row[3] == "0A")


def test_every_worker_gets_its_own_socket_on_the_one_port() -> None:
    port = free_port()
    sockets = listening_sockets("127.0.0.1", port, 3)
    try:
        assert [s.getsockname() for s in sockets] == [("127.0.0.1", port)] * 3
        assert listeners_on(port) == 3  # uvicorn's workers share one: 1
        assert all(s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) for s in sockets)
    finally:
        for sock in sockets:
            sock.close()


def test_a_port_another_server_listens_on_is_refused() -> None:
    port = free_port()
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # even one that shares
        other.bind(("127.0.0.1", port))
        other.listen()
        with pytest.raises(OSError, match="in use"):
            listening_sockets("127.0.0.1", port, 2)


def test_a_worker_hides_its_built_app_from_the_garbage_collector() -> None:
    """A full collection would walk the whole schema, stalling every request of the worker."""
    try:
        frozen_app()
        assert gc.get_freeze_count() > 100_000
    finally:
        gc.unfreeze()


def test_an_app_that_cannot_be_built_ends_the_worker_as_a_failed_startup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The supervisor stops on this exit code instead of starting the worker again forever."""

    def broken() -> None:
        raise RuntimeError("no schema")

    monkeypatch.setattr(workers, "create_app", broken)
    with socket.socket() as sock, pytest.raises(SystemExit) as stopped:
        workers.serve_on(sock)
    assert stopped.value.code == STARTUP_FAILURE


def test_off_linux_the_workers_share_uvicorns_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only Linux spreads connections over SO_REUSEPORT sockets."""
    served: list[dict[str, object]] = []
    monkeypatch.setattr("sys.platform", "darwin")
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.append(options))
    port = free_port()
    workers.serve("127.0.0.1", port, 2, access_log=False)
    expected = {"host": "127.0.0.1", "port": port, "workers": 2, "access_log": False}
    assert served == [{"factory": True, **expected}]
