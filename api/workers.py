"""The API served by several processes, connections dealt to the one with the fewest.

uvicorn's workers share one listening socket, and the first to wake takes every connection
waiting: a client opening 8 keep-alive connections at once often found 7 or 8 of them on one
of 2 workers (measured). Sockets of their own bound with SO_REUSEPORT (the eighth round) let
the kernel spread them by a hash of the address, which still left 6/2 or worse about a third
of the time (evening it out did not measurably shorten the slowest answers on 2 cores:
docs/performance.md, "Ninth round"). So here, as in Node's cluster,
the supervisor alone accepts: it hands each connection (its file descriptor, over a Unix
socket pair) to the worker holding the fewest, and each worker reports the connections it
closes. A worker serves what it is handed with uvicorn, as if it had accepted it.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import selectors
import signal
import socket
import sys
import time
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.process import BaseProcess

import uvicorn
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE

from api.app import create_app

APP = "api.app:create_app"
BACKLOG = 2048  # uvicorn's
RESTART_CHECK_SECONDS = 0.5
HUNG_SECONDS = 30.0  # a worker silent this long (its event loop stuck) is killed and replaced
PINGS_PER_HUNG = 6  # each worker is asked whether it still answers 6 times in that time
HANDED = b"c"  # supervisor -> worker: a connection (its descriptor rides along)
PING = b"p"  # supervisor -> worker; the worker answers PONG from its event loop
PONG = b"o"
CLOSED = b"x"  # worker -> supervisor: one of the connections handed over has closed

logger = logging.getLogger("uvicorn.error")


class WorkerStartupError(RuntimeError):
    """A worker failed before it served (the app or the address is broken): restarting it
    would fail the same way."""


def listening_socket(host: str, port: int) -> socket.socket:
    family, kind, _, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(BACKLOG)
    return sock


def serve(host: str, port: int, workers: int, *, access_log: bool = True) -> None:
    """The API on (host, port) from ``workers`` processes, supervised even when there is one:
    a worker that dies or hangs is replaced.
    Returns on SIGINT or SIGTERM, once every worker has stopped."""
    if not hasattr(socket, "send_fds"):  # Windows: uvicorn's shared socket (or its one process)
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, access_log=access_log)
        return
    listener = listening_socket(host, port)
    with Supervisor(listener, workers, access_log) as supervisor:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, supervisor.stop)
        supervisor.run()


# -- the supervisor: accepts, deals, replaces ----------------------------------------------


@dataclass
class Worker:
    process: BaseProcess
    channel: socket.socket  # the supervisor's end of the pair
    connections: int = 0  # handed over, not yet reported closed
    heard: float | None = None  # when it last said anything (None: still starting)
    pinged: float = 0.0


class Supervisor:
    def __init__(
        self,
        listener: socket.socket,
        count: int,
        access_log: bool,
        hung_seconds: float = HUNG_SECONDS,
    ) -> None:
        self.listener, self.access_log, self.stopping = listener, access_log, False
        self.hung_seconds = hung_seconds
        self.selector = selectors.DefaultSelector()
        listener.setblocking(False)
        self.selector.register(listener, selectors.EVENT_READ)
        self.workers: list[Worker] = []
        for _ in range(count):
            self.workers.append(self._started())

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, *_: object) -> None:
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.terminate()  # SIGTERM: uvicorn finishes the requests under way
        for worker in self.workers:
            worker.process.join()
            worker.channel.close()
        self.selector.close()
        self.listener.close()

    def run(self) -> None:
        """Until ``stop``: deal connections, hear the workers, replace the dead and the hung."""
        while not self.stopping:
            for key, _ in self.selector.select(RESTART_CHECK_SECONDS):
                if key.fileobj is self.listener:
                    self._deal_waiting_connections()
                else:
                    self._hear(key.data)
            self._ping_and_kill_hung()
            self._replace_dead()

    def stop(self, *_: object) -> None:
        self.stopping = True

    def _deal_waiting_connections(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            with connection:
                self._hand_over(connection)

    def _hand_over(self, connection: socket.socket) -> None:
        """To the worker with the fewest connections; one that cannot take it (it just died)
        is skipped. With none left the connection is closed: the client sees a reset."""
        for worker in sorted(self.workers, key=lambda w: w.connections):
            try:
                socket.send_fds(worker.channel, [HANDED], [connection.fileno()])
            except OSError:
                continue
            worker.connections += 1
            return
        logger.warning("no API worker could take a connection")

    def _hear(self, worker: Worker) -> None:
        while True:
            try:
                report = worker.channel.recv(16)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                report = b""
            if not report:  # the worker is gone; _replace_dead starts another
                self.selector.unregister(worker.channel)
                return
            worker.heard = time.monotonic()
            if report == CLOSED:
                worker.connections = max(0, worker.connections - 1)

    def _ping_and_kill_hung(self) -> None:
        """A worker whose event loop is stuck still looks alive: ask each one every few
        seconds, and kill one that has not answered for ``hung_seconds`` (it is then replaced
        as the dead are). A worker still building its app is judged only once it answers."""
        now = time.monotonic()
        for worker in self.workers:
            if now - worker.pinged >= self.hung_seconds / PINGS_PER_HUNG:
                with suppress(OSError):  # a full or closed channel: it will count as silence
                    worker.channel.send(PING)
                worker.pinged = now
            if worker.heard is not None and now - worker.heard > self.hung_seconds:
                silent = now - worker.heard
                logger.error("API worker %s silent for %.0f s: killed", worker.process.pid, silent)
                worker.process.kill()
                worker.heard = None

    def _replace_dead(self) -> None:
        for index, worker in enumerate(self.workers):
            if worker.process.is_alive():
                continue
            if worker.process.exitcode == STARTUP_FAILURE:
                raise WorkerStartupError(
                    f"an API worker failed to start (exit code {STARTUP_FAILURE})"
                )
            with suppress(KeyError):  # not if its channel's end was seen already
                self.selector.unregister(worker.channel)
            worker.channel.close()
            self.workers[index] = self._started()

    def _started(self) -> Worker:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        theirs.set_inheritable(True)
        process = _spawn.Process(
            target=serve_handed, args=(theirs, self.access_log), name="pharmakg-api"
        )
        process.start()
        theirs.close()
        ours.setblocking(False)
        worker = Worker(process, ours)
        self.selector.register(ours, selectors.EVENT_READ, worker)
        return worker


_spawn = multiprocessing.get_context("spawn")


# -- a worker ------------------------------------------------------------------------------


def serve_handed(channel: socket.socket, access_log: bool = True) -> None:
    """A worker: the API on the connections the supervisor hands over ``channel``."""
    HandedConnections(uvicorn.Config(built_app(), access_log=access_log), channel).run()


def built_app() -> FastAPI:
    """The app, frozen (``frozen_app``). One that cannot be built ends the process as
    uvicorn's failed startups end: the supervisor stops, not retries."""
    try:
        return frozen_app()
    except Exception:
        logger.exception("the API could not be built")
        sys.exit(STARTUP_FAILURE)


def frozen_app() -> FastAPI:
    """The API, everything alive once it is built (modules, the schema: some 240,000 objects)
    moved out of the garbage collector's sight: a full collection walked them all, 170-190 ms
    during which the worker answered nobody (measured); after this, under a millisecond."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app


class HandedConnections(uvicorn.Server):
    """uvicorn's server without a socket of its own: it serves the connections handed over
    its channel, with uvicorn's own HTTP protocol (its limits, keep-alive and graceful
    shutdown apply as to the connections it accepts), and reports each one that closes."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
        super().__init__(config)
        self.channel = channel
        self.connecting: set[asyncio.Task[object]] = set()  # held until each connection is set up

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        del sockets  # it has none: connections come over the channel
        await super().startup(sockets=[])  # the lifespan
        self.channel.setblocking(False)
        asyncio.get_running_loop().add_reader(self.channel.fileno(), self._take_handed)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        asyncio.get_running_loop().remove_reader(self.channel.fileno())
        await super().shutdown(sockets)

    def _take_handed(self) -> None:
        try:
            message, descriptors, _, _ = socket.recv_fds(self.channel, 16, 16)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # reset: the supervisor died with our reports unread
            message, descriptors = b"", []
        if not message:  # the supervisor is gone: finish what is under way, then stop
            asyncio.get_running_loop().remove_reader(self.channel.fileno())
            self.should_exit = True
            return
        if message == PING:
            with suppress(OSError):
                self.channel.send(PONG)
            return
        loop = asyncio.get_running_loop()
        for descriptor in descriptors:
            connection = socket.socket(fileno=descriptor)
            accepted = loop.connect_accepted_socket(self._protocol, connection, ssl=self.config.ssl)
            task: asyncio.Task[object] = loop.create_task(accepted)
            self.connecting.add(task)
            task.add_done_callback(self.connecting.discard)

    def _protocol(self) -> asyncio.Protocol:
        protocol: asyncio.Protocol = self.config.http_protocol_class(  # type: ignore[call-arg]
            config=self.config, server_state=self.server_state, app_state=self.lifespan.state
        )
        lost = protocol.connection_lost

        def connection_lost(error: Exception | None) -> None:
            lost(error)
            with suppress(OSError):  # the supervisor is gone or busy: only its count drifts
                self.channel.send(CLOSED)

        protocol.connection_lost = connection_lost  # type: ignore[method-assign,assignment]
        return protocol
