"""One graph-version read for the requests that wait together, never one begun before them."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from api.graphql.cache import CoalescedVersion


class Reads:
    """A version read that the test lets finish: each read answers its own number."""

    def __init__(self) -> None:
        self.begun = 0
        self.gates: list[asyncio.Event] = []

    async def __call__(self, scope: Any) -> str | None:
        del scope
        self.begun += 1
        number = self.begun
        gate = asyncio.Event()
        self.gates.append(gate)
        await gate.wait()
        return f"read {number}"

    async def finish(self, index: int) -> None:
        while len(self.gates) <= index:
            await asyncio.sleep(0)
        self.gates[index].set()


async def test_requests_during_a_read_share_the_next_one() -> None:
    reads = Reads()
    version = CoalescedVersion(reads)
    first = asyncio.ensure_future(version({}))
    await asyncio.sleep(0)  # the first read has begun
    later = [asyncio.ensure_future(version({})) for _ in range(5)]
    await asyncio.sleep(0)
    assert reads.begun == 1  # the others wait: that read began before they came
    await reads.finish(0)
    assert await first == "read 1"
    await reads.finish(1)
    assert [await task for task in later] == ["read 2"] * 5
    assert reads.begun == 2


async def test_a_request_after_a_read_gets_a_read_of_its_own() -> None:
    reads = Reads()
    version = CoalescedVersion(reads)
    for number in (1, 2, 3):
        task = asyncio.ensure_future(version({}))
        await reads.finish(number - 1)
        assert await task == f"read {number}"


async def test_a_cancelled_request_cancels_no_other_and_errors_reach_all() -> None:
    reads = Reads()
    version = CoalescedVersion(reads)
    one, two = asyncio.ensure_future(version({})), asyncio.ensure_future(version({}))
    three = asyncio.ensure_future(version({}))
    await asyncio.sleep(0)  # one began the first read; two and three wait for the next
    two.cancel()
    await reads.finish(0)
    await reads.finish(1)
    assert await one == "read 1"
    assert await three == "read 2"
    assert two.cancelled()

    async def failing(scope: Any) -> str | None:
        raise OSError("gone")

    broken = CoalescedVersion(failing)
    with pytest.raises(OSError, match="gone"):
        await asyncio.gather(broken({}), broken({}))
