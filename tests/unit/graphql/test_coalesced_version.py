"""One graph-version read for the requests that wait together, never one begun before them
or longer than a lease ago."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from api.graphql.cache import CoalescedVersion
from graph import version as graph_version


class Clock:
    """Time that moves only when the test says (``step``: added at every reading)."""

    def __init__(self, step: float = 0.0) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def unleased(reads: Any) -> CoalescedVersion:
    """No token outlives its read: every reading of the clock is a lease later."""
    return CoalescedVersion(reads, Clock(step=2 * graph_version.LEASE_SECONDS))


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

    async def begin(self, count: int) -> None:
        """Return once ``count`` reads have begun; fail, not hang, if they never do."""
        for _ in range(1000):
            if self.begun >= count:
                return
            await asyncio.sleep(0)
        raise AssertionError(f"{self.begun} reads began, not {count}")

    async def finish(self, index: int) -> None:
        await self.begin(index + 1)
        self.gates[index].set()


async def test_requests_during_a_read_share_the_next_one() -> None:
    reads = Reads()
    version = unleased(reads)
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
    version = unleased(reads)
    for number in (1, 2, 3):
        task = asyncio.ensure_future(version({}))
        await reads.finish(number - 1)
        assert await task == f"read {number}"


async def test_a_cancelled_request_cancels_no_other_and_errors_reach_all() -> None:
    reads = Reads()
    version = unleased(reads)
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

    broken = unleased(failing)
    with pytest.raises(OSError, match="gone"):
        await asyncio.gather(broken({}), broken({}))


async def test_a_token_serves_for_a_lease_from_when_its_read_began() -> None:
    reads, clock = Reads(), Clock()
    version = CoalescedVersion(reads, clock)
    first = asyncio.ensure_future(version({}))
    await reads.begin(1)  # the read begins at 0...
    clock.now = 0.8 * graph_version.LEASE_SECONDS  # ...and ends late
    await reads.finish(0)
    assert await first == "read 1"
    assert await version({}) == "read 1"  # within the lease: no read
    assert reads.begun == 1
    clock.now = 1.01 * graph_version.LEASE_SECONDS  # a lease after the read began, not ended
    second = asyncio.ensure_future(version({}))
    await reads.finish(1)
    assert await second == "read 2"
    assert reads.begun == 2


async def test_no_token_and_a_failed_read_are_never_kept() -> None:
    answers: list[str | None] = [None, None]
    calls = 0

    async def read(scope: Any) -> str | None:
        nonlocal calls
        calls += 1
        if not answers:
            raise OSError("gone")
        return answers.pop(0)

    version = CoalescedVersion(read, Clock())  # time stands still: any token would be kept
    assert await version({}) is None
    assert await version({}) is None
    for _ in range(2):
        with pytest.raises(OSError, match="gone"):
            await version({})
    assert calls == 4
