"""The API's reads over plain Bolt connections of its own: one pipelined RUN and PULL a read.

A read through the driver costs the API 1.1-1.4 ms of Python (session, result and async
layers) where the Bolt exchange itself needs 0.3-0.5 ms (docs/performance.md, "Tenth round":
the driver's read was a third of a served worker's busy time). Every read of the API, the
graph version's for the response cache among them, therefore speaks just that exchange: the
Bolt 5.0 handshake, HELLO with basic auth, then per read RUN (auto-commit, READ mode, the
query timeout, the database) and PULL of every row, on a small pool of connections. Values
are packed and unpacked by the driver's own PackStream codec (its Rust extension when
installed), so a row is what the driver would give; a graph structure (a node, a
relationship, a temporal value), which no read of the API returns, is refused rather than
decoded.

Anything unexpected drops the connection and raises ``LeanError``: the caller then reads
through the driver, which retries, or reports the failure as it always has. A query that ran
out of time raises ``LeanTimeoutError`` (not read again: it would time out again). Only plain
``bolt://`` URIs with basic auth are read here (``lean_for``); TLS and routing stay with the
driver.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Mapping, Sequence
from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit

try:  # the driver's own codec: private, so a driver that moved it leaves every read to it
    from neo4j._codec.packstream import Structure
    from neo4j._codec.packstream.v1 import PackableBuffer, Packer, UnpackableBuffer, Unpacker
except ImportError:  # pragma: no cover - the installed driver has it
    CODEC = False
else:
    CODEC = True

BOLT_PORT = 7687
PREAMBLE = b"\x60\x60\xb0\x17"
BOLT_5_0 = b"\x00\x00\x00\x05"  # [reserved, range, minor, major]
HELLO, GOODBYE, RUN, PULL = 0x01, 0x02, 0x10, 0x3F
SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F
MAX_OPEN = 100  # connections open at once, per pool (the driver's default pool size)
MAX_IDLE = 64  # connections kept open between reads, per pool
_TIMEOUT_CODES = ("TransactionTimedOut", "TransactionTimedOutClientConfiguration")
Row = dict[str, Any]


class LeanError(Exception):
    """Not read over the lean connection (the driver will read it, or say why)."""


class ServerFailureError(LeanError):
    """The server failed the statement (the driver reads it again, and reports why)."""


class RefusedError(LeanError):
    """The server refused our Bolt version or credentials: not worth asking again."""


class LeanTimeoutError(Exception):
    """The server stopped the query at its timeout."""


Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def open_bolt(host: str, port: int, auth: tuple[str, str], agent: str) -> Streams:
    """A connection past the handshake and HELLO (``RefusedError``: version or credentials)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        await _greet(reader, writer, auth, agent)
    except BaseException:
        writer.close()
        raise
    return reader, writer


async def _greet(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, auth: tuple[str, str], agent: str
) -> None:
    writer.write(PREAMBLE + BOLT_5_0 + bytes(12))
    if await reader.readexactly(4) != BOLT_5_0:
        raise RefusedError("the server does not speak Bolt 5.0")
    user, password = auth
    hello = {"user_agent": agent, "scheme": "basic", "principal": user, "credentials": password}
    writer.write(message(HELLO, map_of(hello)))
    if signature(await receive(reader)) != SUCCESS:
        raise RefusedError("the server refused the credentials")


async def say_goodbye(writer: asyncio.StreamWriter) -> None:
    with suppress(OSError):  # already gone
        writer.write(message(GOODBYE))
        writer.close()
        await writer.wait_closed()


class LeanReads:
    """Read-only statements over a pool of plain Bolt connections, opened as needed."""

    def __init__(
        self, host: str, port: int, auth: tuple[str, str], database: str | None, timeout: float
    ) -> None:
        self.host, self.port, self.auth, self.timeout = host, port, auth, timeout
        extra: dict[str, Any] = {"mode": "r", "tx_timeout": round(timeout * 1000)}
        if database:
            extra["db"] = database
        self._extra = packed(extra)
        self._pull = message(PULL, map_of({"n": -1}))
        self._idle: list[Streams] = []
        self._open = asyncio.Semaphore(MAX_OPEN)  # a read beyond waits, as for the driver's pool
        self.refused = False  # the server will not speak our Bolt: never ask again

    async def fetch(self, query: str, params: Mapping[str, Any]) -> list[Row]:
        """Every row of ``query``; ``LeanError`` when not read here, ``LeanTimeoutError`` when
        the server stopped it."""
        if self.refused:
            raise LeanError("the server refused the lean connection")
        request = message(RUN, string(query), packed(dict(params)), self._extra) + self._pull
        async with self._open:
            return await self._fetch(request)

    async def _fetch(self, request: bytes) -> list[Row]:
        streams = self._idle.pop() if self._idle else None
        if streams is not None:
            try:
                return await self._read(streams, request)
            except ServerFailureError:
                raise
            except LeanError:  # a connection the server closed while idle: another, once
                pass
        return await self._read(await self._connect(), request)

    async def _connect(self) -> Streams:
        try:
            return await asyncio.wait_for(
                open_bolt(self.host, self.port, self.auth, "pharmakg-lean-reads/1"), self.timeout
            )
        except RefusedError:
            self.refused = True
            raise
        except (OSError, EOFError, TimeoutError) as error:
            raise LeanError(f"no lean connection: {error!r}") from error

    async def _read(self, streams: Streams, request: bytes) -> list[Row]:
        """The rows, the connection back in the pool; dropped on anything else."""
        try:
            rows = await asyncio.wait_for(_exchange(streams, request), self.timeout + 1.0)
        except (
            OSError,
            EOFError,
            TimeoutError,
            LookupError,
            TypeError,
            ValueError,
            LeanError,
        ) as error:
            streams[1].close()
            if isinstance(error, LeanError):
                raise
            raise LeanError(f"not read over Bolt: {error!r}") from error
        except BaseException:  # a read cut halfway (cancelled) leaves replies unread
            streams[1].close()
            raise
        if len(self._idle) < MAX_IDLE:
            self._idle.append(streams)
        else:
            streams[1].close()
        return rows

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for _, writer in idle:
            await say_goodbye(writer)


async def _exchange(streams: Streams, request: bytes) -> list[Row]:
    reader, writer = streams
    writer.write(request)
    reply = await receive(reader)
    if signature(reply) != SUCCESS:
        await receive(reader)  # PULL's IGNORED: the connection is dropped all the same
        raise _failure(reply)
    keys: Sequence[str] = _unpacked(reply)["fields"]
    rows = []
    while signature(reply := await receive(reader)) == RECORD:
        rows.append(dict(zip(keys, _unpacked(reply), strict=True)))
    if signature(reply) != SUCCESS:
        raise _failure(reply)
    return rows


def _failure(reply: bytes) -> Exception:
    """What a FAILURE means here: the query's timeout, or a read for the driver to make."""
    code = str(_unpacked(reply).get("code", "")) if signature(reply) == FAILURE else ""
    if any(code.endswith(timeout) for timeout in _TIMEOUT_CODES):
        return LeanTimeoutError(code)
    return ServerFailureError(f"the server answered {code or hex(signature(reply))}")


def lean_for(
    uri: str, auth: tuple[str, str] | None, database: str | None, timeout: float
) -> LeanReads | None:
    """Lean reads for a plain ``bolt://`` URI with basic auth; None for anything else (or
    when the driver's codec is not where it was)."""
    parts = urlsplit(uri)
    if not CODEC or parts.scheme != "bolt" or not parts.hostname or auth is None:
        return None
    return LeanReads(parts.hostname, parts.port or BOLT_PORT, auth, database, timeout)


# -- the wire --------------------------------------------------------------------------------


def string(text: str) -> bytes:
    data = text.encode()
    size = len(data)
    if size < 0x10:
        return bytes([0x80 | size]) + data
    if size < 0x100:
        return b"\xd0" + bytes([size]) + data
    if size < 0x10000:
        return b"\xd1" + struct.pack(">H", size) + data
    return b"\xd2" + struct.pack(">I", size) + data


def map_of(entries: Mapping[str, str | int]) -> bytes:
    """A small map of strings and integers (HELLO's, PULL's)."""

    def value(item: str | int) -> bytes:
        return string(item) if isinstance(item, str) else b"\xcb" + struct.pack(">q", item)

    return bytes([0xA0 | len(entries)]) + b"".join(
        string(key) + value(item) for key, item in entries.items()
    )


def message(tag: int, *fields: bytes) -> bytes:
    """A message as chunks (at most 65,535 bytes each) and the end marker."""
    body = bytes([0xB0 | len(fields), tag]) + b"".join(fields)
    chunks = (body[at : at + 0xFFFF] for at in range(0, len(body), 0xFFFF))
    return b"".join(struct.pack(">H", len(chunk)) + chunk for chunk in chunks) + b"\x00\x00"


async def receive(reader: asyncio.StreamReader) -> bytes:
    """The next message's bytes (zero-size chunks alone are the server's keep-alives)."""
    body = b""
    while True:
        size = int.from_bytes(await reader.readexactly(2), "big")
        if size:
            body += await reader.readexactly(size)
        elif body:
            return body


def signature(reply: bytes) -> int:
    if len(reply) < 2:
        raise LeanError("a Bolt message too short")
    return reply[1]


def packed(value: Any) -> bytes:
    """A value as PackStream, by the driver's codec."""
    buffer = PackableBuffer()  # type: ignore[no-untyped-call]
    Packer(buffer).pack(value)  # type: ignore[no-untyped-call]
    return bytes(buffer.data)


def _refuse(_: object) -> object:
    raise LeanError("a graph structure in a row: the driver reads it")


_NO_STRUCTURES = {Structure: _refuse}


def _unpacked(reply: bytes) -> Any:
    """The one field of a SUCCESS, FAILURE or RECORD message (after its two header bytes)."""
    if len(reply) < 3 or reply[0] != 0xB1:
        raise LeanError("a Bolt message of an unexpected shape")
    buffer = UnpackableBuffer(reply)  # type: ignore[no-untyped-call]
    buffer.p = 2
    return Unpacker(buffer).unpack(_NO_STRUCTURES)  # type: ignore[no-untyped-call]
