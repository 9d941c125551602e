"""The API served by several processes, each accepting connections on its own socket.

uvicorn's workers share one listening socket, and the first to wake takes every connection
waiting: a client opening 8 keep-alive connections at once often found 7 or 8 of them on one
of 2 workers (measured), so one core served them while the other idled and the slowest answers
took up to 5 times longer. Here every worker listens on its own socket, bound with
SO_REUSEPORT to the same address, and the kernel spreads new connections over them.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import signal
import socket
import sys
import threading
from multiprocessing.process import BaseProcess

import uvicorn
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE

from api.app import create_app

APP = "api.app:create_app"
BACKLOG = 2048  # uvicorn's
RESTART_CHECK_SECONDS = 0.5

logger = logging.getLogger("uvicorn.error")


class WorkerStartupError(RuntimeError):
    """A worker failed before it served (the app or the address is broken): restarting it
    would fail the same way."""


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` sockets listening on (host, port) together. Fails (``OSError``) when anything
    else listens there: SO_REUSEPORT alone would let a second server share the port."""
    with _socket(host, port, shared=False):
        pass
    return [_socket(host, port, shared=True) for _ in range(count)]


def _socket(host: str, port: int, *, shared: bool) -> socket.socket:
    family, kind, _, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def serve_on(sock: socket.socket, access_log: bool = True) -> None:
    """One worker: the API on ``sock`` until it is told to stop. An app that cannot be built
    ends the worker as uvicorn's failed startups end: the supervisor stops, not retries."""
    try:
        app = frozen_app()
    except Exception:
        logger.exception("the API could not be built")
        sys.exit(STARTUP_FAILURE)
    uvicorn.Server(uvicorn.Config(app, access_log=access_log)).run(sockets=[sock])


def frozen_app() -> FastAPI:
    """The API, everything alive once it is built (modules, the schema: some 240,000 objects)
    moved out of the garbage collector's sight: a full collection walked them all, 170-190 ms
    during which the worker answered nobody (measured); after this, under a millisecond."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app


def serve(host: str, port: int, workers: int, *, access_log: bool = True) -> None:
    """The API on (host, port) from ``workers`` processes; a worker that dies is replaced on
    its socket. Returns on SIGINT or SIGTERM, once every worker has stopped."""
    if workers > 1 and sys.platform != "linux":
        # Only Linux spreads connections over SO_REUSEPORT sockets (BSDs give them all to
        # one): elsewhere uvicorn's own workers, sharing one socket.
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, access_log=access_log)
        return
    sockets = listening_sockets(host, port, workers)
    if workers == 1:
        serve_on(sockets[0], access_log)
        return
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    children = [_started(sock, access_log) for sock in sockets]
    try:
        while not stop.wait(RESTART_CHECK_SECONDS):
            children = [
                _replaced_if_dead(child, sock, access_log)
                for child, sock in zip(children, sockets, strict=True)
            ]
    finally:
        _stop_all(children)


_spawn = multiprocessing.get_context("spawn")


def _started(sock: socket.socket, access_log: bool) -> BaseProcess:
    child = _spawn.Process(target=serve_on, args=(sock, access_log), name="pharmakg-api")
    child.start()
    return child


def _replaced_if_dead(child: BaseProcess, sock: socket.socket, access_log: bool) -> BaseProcess:
    if child.is_alive():
        return child
    if child.exitcode == STARTUP_FAILURE:
        raise WorkerStartupError(f"an API worker failed to start (exit code {STARTUP_FAILURE})")
    return _started(sock, access_log)


def _stop_all(children: list[BaseProcess]) -> None:
    for child in children:
        if child.is_alive():
            child.terminate()  # SIGTERM: uvicorn finishes the requests under way
    for child in children:
        child.join()
