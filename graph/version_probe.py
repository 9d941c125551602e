"""The graph version, read over a plain Bolt connection of its own: the response cache's check.

Every cached answer is checked against the graph version before it is served
(``api.graphql.cache``), so this one read is on the path of every cache hit. Through the driver
it costs about 1 ms of Python (session, transaction and result objects) where the Bolt exchange
itself needs about 0.15 ms (docs/performance.md, "Ninth round"). So the API speaks just that
exchange here: the Bolt 5.0 handshake, HELLO with basic auth, then per read one pipelined RUN
and PULL of ``GRAPH_VERSION``, auto-commit, in READ mode, with the query timeout.

Anything unexpected drops the connection and raises ``ProbeError``: the caller then reads
through the driver, which reports real failures as it always has. Only plain ``bolt://`` URIs
with basic auth are probed (``probe_for``); TLS and routing stay with the driver.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Mapping
from contextlib import suppress
from urllib.parse import urlsplit

from graph.cypher.reads import GRAPH_VERSION

BOLT_PORT = 7687
_PREAMBLE = b"\x60\x60\xb0\x17"
_BOLT_5_0 = b"\x00\x00\x00\x05"  # [reserved, range, minor, major]
_HELLO, _GOODBYE, _RUN, _PULL = 0x01, 0x02, 0x10, 0x3F
_SUCCESS, _RECORD = 0x70, 0x71
_NULL = 0xC0


class ProbeError(Exception):
    """The probe could not read the version (the driver will, or will say why)."""


class VersionProbe:
    """One Bolt connection reading the graph version, opened on first use, one read at a time."""

    def __init__(
        self, host: str, port: int, auth: tuple[str, str], database: str | None, timeout: float
    ) -> None:
        self.host, self.port, self.auth, self.timeout = host, port, auth, timeout
        extra: dict[str, str | int] = {"mode": "r", "tx_timeout": round(timeout * 1000)}
        if database:
            extra["db"] = database
        self._request = _message(_RUN, _string(GRAPH_VERSION), _map({}), _map(extra))
        self._request += _message(_PULL, _map({"n": -1}))
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._lock = asyncio.Lock()
        self.refused = False  # the server will not speak our Bolt: never ask again

    async def read(self) -> str | None:
        """The version token (None when the graph has none); ``ProbeError`` when not read."""
        if self.refused:
            raise ProbeError("the server refused the probe's Bolt version or credentials")
        async with self._lock:
            reused = self._streams is not None
            try:
                return await self._read()
            except ProbeError:
                if not reused:
                    raise
            # A connection the server closed while idle: opened again, once.
            return await self._read()

    async def _read(self) -> str | None:
        try:
            return await asyncio.wait_for(self._exchange(), self.timeout)
        except (OSError, EOFError, TimeoutError, UnicodeDecodeError, ProbeError) as error:
            self._drop()
            raise ProbeError(f"graph version not read over Bolt: {error!r}") from error
        except asyncio.CancelledError:  # an exchange cut halfway leaves replies unread
            self._drop()
            raise

    async def _exchange(self) -> str | None:
        if self._streams is None:
            self._streams = await self._connect()
        reader, writer = self._streams
        writer.write(self._request)
        if _signature(await _receive(reader)) != _SUCCESS:  # RUN refused
            raise ProbeError("the version read was refused")
        token = None
        while _signature(message := await _receive(reader)) == _RECORD:
            token = _token(message)
        if _signature(message) != _SUCCESS:
            raise ProbeError("the version read failed")
        return token

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            await self._greet(reader, writer)
        except BaseException:
            writer.close()
            raise
        return reader, writer

    async def _greet(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(_PREAMBLE + _BOLT_5_0 + bytes(12))
        if await reader.readexactly(4) != _BOLT_5_0:
            self.refused = True
            raise ProbeError("the server does not speak Bolt 5.0")
        user, password = self.auth
        hello = {"user_agent": "pharmakg-version-probe/1", "scheme": "basic"}
        writer.write(_message(_HELLO, _map(hello | {"principal": user, "credentials": password})))
        if _signature(await _receive(reader)) != _SUCCESS:
            self.refused = True
            raise ProbeError("the server refused the probe's credentials")

    def _drop(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None

    async def close(self) -> None:
        if self._streams is not None:
            writer = self._streams[1]
            self._streams = None
            with suppress(OSError):  # already gone
                writer.write(_message(_GOODBYE))
                writer.close()
                await writer.wait_closed()


def probe_for(
    uri: str, auth: tuple[str, str] | None, database: str | None, timeout: float
) -> VersionProbe | None:
    """A probe for a plain ``bolt://`` URI with basic auth; None for anything else."""
    parts = urlsplit(uri)
    if parts.scheme != "bolt" or not parts.hostname or auth is None:
        return None
    return VersionProbe(parts.hostname, parts.port or BOLT_PORT, auth, database, timeout)


# -- PackStream, only what these few messages hold ------------------------------------------


def _string(text: str) -> bytes:
    data = text.encode()
    size = len(data)
    if size < 0x10:
        return bytes([0x80 | size]) + data
    if size < 0x100:
        return b"\xd0" + bytes([size]) + data
    if size < 0x10000:
        return b"\xd1" + struct.pack(">H", size) + data
    return b"\xd2" + struct.pack(">I", size) + data


def _map(entries: Mapping[str, str | int]) -> bytes:
    def value(item: str | int) -> bytes:
        return _string(item) if isinstance(item, str) else b"\xcb" + struct.pack(">q", item)

    return bytes([0xA0 | len(entries)]) + b"".join(
        _string(key) + value(item) for key, item in entries.items()
    )


def _message(signature: int, *fields: bytes) -> bytes:
    """A message as chunks (at most 65,535 bytes each) and the end marker."""
    body = bytes([0xB0 | len(fields), signature]) + b"".join(fields)
    chunks = (body[at : at + 0xFFFF] for at in range(0, len(body), 0xFFFF))
    return b"".join(struct.pack(">H", len(chunk)) + chunk for chunk in chunks) + b"\x00\x00"


async def _receive(reader: asyncio.StreamReader) -> bytes:
    """The next message's bytes (zero-size chunks alone are the server's keep-alives)."""
    body = b""
    while True:
        size = int.from_bytes(await reader.readexactly(2), "big")
        if size:
            body += await reader.readexactly(size)
        elif body:
            return body


def _signature(message: bytes) -> int:
    if len(message) < 2:
        raise ProbeError("a Bolt message too short")
    return message[1]


def _token(record: bytes) -> str | None:
    """The one field of a RECORD: a string, or null."""
    if record[:3] != b"\xb1\x71\x91" or len(record) < 4:
        raise ProbeError("a version record that is not one field")
    marker = record[3]
    if marker == _NULL:
        return None
    if marker & 0xF0 == 0x80:
        size, start = marker & 0x0F, 4
    elif marker == 0xD0:
        size, start = record[4], 5
    elif marker == 0xD1:
        size, start = int.from_bytes(record[4:6], "big"), 6
    else:
        raise ProbeError("a version token that is not a string")
    if len(record) < start + size:
        raise ProbeError("a version record cut short")
    return record[start : start + size].decode()
