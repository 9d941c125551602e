"""The graph version probe against servers that misbehave (local sockets standing in for
Neo4j); against a real Neo4j in tests/integration/test_version_probe.py."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest

from graph.version_probe import ProbeError, VersionProbe, probe_for

TIMEOUT = 5.0


def test_only_plain_bolt_with_basic_auth_is_probed() -> None:
    auth = ("neo4j", "secret")
    made = probe_for("bolt://db.example:7700", auth, "neo4j", TIMEOUT)
    assert made is not None
    assert (made.host, made.port) == ("db.example", 7700)
    assert probe_for("bolt://db.example", auth, None, TIMEOUT).port == 7687  # type: ignore[union-attr]
    for uri in ("bolt+s://db.example", "bolt+ssc://db.example", "neo4j://db.example"):
        assert probe_for(uri, auth, None, TIMEOUT) is None, uri
    assert probe_for("bolt://db.example", None, None, TIMEOUT) is None


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], object]
SUCCESS = b"\x00\x03\xb1\x70\xa0\x00\x00"
FAILURE = b"\x00\x03\xb1\x7f\xa0\x00\x00"


@asynccontextmanager
async def fake_server(handler: Handler) -> AsyncIterator[VersionProbe]:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readexactly(20)  # preamble and versions
        await handler(reader, writer)  # type: ignore[misc]

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader = VersionProbe("127.0.0.1", port, ("neo4j", "pw"), None, 0.5)
    try:
        yield reader
    finally:
        await reader.close()
        server.close()


async def test_an_older_bolt_is_refused() -> None:
    async def bolt_4_4(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"\x00\x00\x04\x04")

    async with fake_server(bolt_4_4) as reader:
        with pytest.raises(ProbeError, match=r"Bolt 5\.0"):
            await reader.read()
        assert reader.refused


async def test_a_failed_read_drops_the_connection() -> None:
    async def fails(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"\x00\x00\x00\x05")
        await reader.read(4096)
        writer.write(SUCCESS)  # HELLO
        await reader.read(4096)
        writer.write(FAILURE)  # RUN

    async with fake_server(fails) as reader:
        with pytest.raises(ProbeError, match="refused"):
            await reader.read()
        assert not reader.refused  # a failed read may succeed next time: tried again
        assert reader._streams is None


async def test_a_server_that_never_answers_times_out() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"\x00\x00\x00\x05")
        await reader.read(4096)
        writer.write(SUCCESS)  # HELLO, then nothing more until the probe hangs up
        await reader.read()

    async with fake_server(silent) as reader:
        started = time.perf_counter()
        with pytest.raises(ProbeError, match="TimeoutError"):
            await reader.read()
        assert time.perf_counter() - started < 3.0
