"""The API's workers: one listening socket, never beside another server; the built app frozen;
startup failures final. Connections dealt to workers: tests/integration/test_serve.py."""

from __future__ import annotations

import gc
import socket

import pytest
from uvicorn.config import STARTUP_FAILURE

from api import workers
from api.workers import frozen_app, listening_socket
from graph.server import free_port


def test_a_port_another_server_listens_on_is_refused() -> None:
    port = free_port()
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # even one that shares
        other.bind(("127.0.0.1", port))
        other.listen()
        with pytest.raises(OSError, match="in use"):
            listening_socket("127.0.0.1", port)


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
    with pytest.raises(SystemExit) as stopped:
        workers.built_app()
    assert stopped.value.code == STARTUP_FAILURE


def test_without_descriptor_passing_the_workers_share_uvicorns_socket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows cannot hand a connection to another process: uvicorn's own workers there."""
    served: list[dict[str, object]] = []
    monkeypatch.delattr("socket.send_fds")
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.append(options))
    port = free_port()
    for count in (1, 2):
        workers.serve("127.0.0.1", port, count, access_log=False)
    expected = {"host": "127.0.0.1", "port": port, "access_log": False}
    assert served == [{"factory": True, **expected, "workers": n} for n in (1, 2)]
