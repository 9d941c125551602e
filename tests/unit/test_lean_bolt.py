"""Lean Bolt reads against servers that misbehave (local sockets standing in for Neo4j);
against a real Neo4j in tests/integration/test_lean_bolt.py."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest

from graph.lean_bolt import (
    FAILURE,
    IGNORED,
    RECORD,
    SUCCESS,
    LeanError,
    LeanReads,
    LeanTimeoutError,
    RefusedError,
    ServerFailureError,
    lean_for,
    message,
    packed,
    receive,
)

TIMEOUT = 0.5
Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], object]
BOLT_5_0 = b"\x00\x00\x00\x05"


def test_only_plain_bolt_with_basic_auth_is_read_lean() -> None:
    auth = ("neo4j", "secret")
    made = lean_for("bolt://db.example:7700", auth, "neo4j", TIMEOUT)
    assert made is not None
    assert (made.host, made.port) == ("db.example", 7700)
    assert lean_for("bolt://db.example", auth, None, TIMEOUT).port == 7687  # type: ignore[union-attr]
    for uri in ("bolt+s://db.example", "bolt+ssc://db.example", "neo4j://db.example"):
        assert lean_for(uri, auth, None, TIMEOUT) is None, uri
    assert lean_for("bolt://db.example", None, None, TIMEOUT) is None


def test_a_long_message_is_cut_into_chunks() -> None:
    body = b"x" * 70_000
    wire = message(0x10, body)
    first = int.from_bytes(wire[:2], "big")
    assert first == 0xFFFF
    second = int.from_bytes(wire[2 + first : 4 + first], "big")
    assert first + second == len(body) + 2  # the struct marker and the tag
    assert wire.endswith(b"\x00\x00")


def reply(tag: int, value: object) -> bytes:
    return message(tag, packed(value))


async def greeted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """The handshake and HELLO answered as Neo4j answers them."""
    await reader.readexactly(20)
    writer.write(BOLT_5_0)
    await receive(reader)
    writer.write(reply(SUCCESS, {}))


async def answer_one_read(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *replies: bytes
) -> None:
    await receive(reader)  # RUN
    await receive(reader)  # PULL
    writer.write(b"".join(replies))


ROWS = (reply(SUCCESS, {"fields": ["n"]}), reply(RECORD, [1]), reply(SUCCESS, {}))


@asynccontextmanager
async def fake_server(*handlers: Handler) -> AsyncIterator[tuple[LeanReads, list[int]]]:
    """A server whose Nth connection is served by the Nth handler; how many were opened."""
    opened: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        opened.append(1)
        await handlers[len(opened) - 1](reader, writer)  # type: ignore[misc]

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    lean = LeanReads("127.0.0.1", port, ("neo4j", "pw"), None, TIMEOUT)
    try:
        yield lean, opened
    finally:
        await lean.close()
        server.close()


async def test_an_older_bolt_is_refused_and_not_asked_again() -> None:
    async def bolt_4_4(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readexactly(20)
        writer.write(b"\x00\x00\x04\x04")

    async with fake_server(bolt_4_4) as (lean, opened):
        with pytest.raises(RefusedError, match=r"Bolt 5\.0"):
            await lean.fetch("RETURN 1 AS n", {})
        assert lean.refused
        with pytest.raises(LeanError, match="refused"):
            await lean.fetch("RETURN 1 AS n", {})
        assert len(opened) == 1


async def test_rows_come_back_and_the_connection_is_kept() -> None:
    async def two_reads(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await greeted(reader, writer)
        await answer_one_read(reader, writer, *ROWS)
        await answer_one_read(reader, writer, *ROWS)
        await reader.read()

    async with fake_server(two_reads) as (lean, opened):
        assert await lean.fetch("RETURN 1 AS n", {}) == [{"n": 1}]
        assert await lean.fetch("RETURN 1 AS n", {}) == [{"n": 1}]
        assert len(opened) == 1


async def test_a_failed_statement_drops_the_connection_and_is_not_tried_again() -> None:
    failure = reply(FAILURE, {"code": "Neo.ClientError.Statement.SyntaxError", "message": "x"})

    async def fails(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await greeted(reader, writer)
        await answer_one_read(reader, writer, failure, reply(IGNORED, {}))  # RUN failed: PULL too
        await reader.read()

    async with fake_server(fails, fails) as (lean, opened):
        with pytest.raises(ServerFailureError, match="SyntaxError"):
            await lean.fetch("RETURN 1 +", {})
        assert not lean.refused
        assert not lean._idle
        assert len(opened) == 1


async def test_a_timed_out_statement_is_said_so() -> None:
    timed_out = reply(FAILURE, {"code": "Neo.ClientError.Transaction.TransactionTimedOut"})

    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await greeted(reader, writer)
        await answer_one_read(reader, writer, reply(SUCCESS, {"fields": ["n"]}), timed_out)
        await reader.read()

    async with fake_server(slow) as (lean, _):
        with pytest.raises(LeanTimeoutError):
            await lean.fetch("RETURN 1 AS n", {})


async def test_a_graph_structure_is_left_to_the_driver() -> None:
    node = bytes([0xB3, 0x4E]) + packed(1) + packed(["Entity"]) + packed({})

    async def with_a_node(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await greeted(reader, writer)
        await answer_one_read(
            reader, writer, reply(SUCCESS, {"fields": ["n"]}), message(RECORD, b"\x91" + node)
        )
        await reader.read()

    async with fake_server(with_a_node) as (lean, _):
        with pytest.raises(LeanError, match="structure"):
            await lean.fetch("MATCH (n) RETURN n", {})
        assert not lean._idle


async def test_an_idle_connection_the_server_closed_is_opened_again_once() -> None:
    async def one_read_then_gone(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await greeted(reader, writer)
        await answer_one_read(reader, writer, *ROWS)
        writer.close()

    async def one_read(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await greeted(reader, writer)
        await answer_one_read(reader, writer, *ROWS)
        await reader.read()

    async with fake_server(one_read_then_gone, one_read) as (lean, opened):
        assert await lean.fetch("RETURN 1 AS n", {}) == [{"n": 1}]
        await asyncio.sleep(0.05)
        assert await lean.fetch("RETURN 1 AS n", {}) == [{"n": 1}]
        assert len(opened) == 2


async def test_a_server_that_never_answers_times_out() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await greeted(reader, writer)
        await reader.read()

    async with fake_server(silent, silent) as (lean, _):
        started = time.perf_counter()
        with pytest.raises(LeanError, match="TimeoutError"):
            await lean.fetch("RETURN 1 AS n", {})
        assert time.perf_counter() - started < 2 * (TIMEOUT + 1.0) + 1.0
        assert not lean._idle


async def test_concurrent_reads_each_take_a_connection_and_give_it_back() -> None:
    async def one_read(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await greeted(reader, writer)
        await answer_one_read(reader, writer, *ROWS)
        await reader.read()

    async with fake_server(*[one_read] * 5) as (lean, opened):
        rows = await asyncio.gather(*(lean.fetch("RETURN 1 AS n", {}) for _ in range(5)))
        assert rows == [[{"n": 1}]] * 5
        assert len(opened) == 5
        assert len(lean._idle) == 5
