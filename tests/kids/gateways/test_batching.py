"""Appends handed over while one is in flight go to the log together; each caller
returns only when its own fixes are durable, and gets the error when they are not."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import pytest

from carewatch.kids.gateways.batching import BatchingLog
from carewatch.kids.tracking import Fix

WHEN = datetime(2026, 12, 7, tzinfo=UTC)


def fix(device: str, second: int = 0) -> Fix:
    return Fix(device, WHEN.replace(second=second), 1.0, 2.0)


class SlowLog:
    def __init__(self) -> None:
        self.appends: list[list[Fix]] = []
        self.release = asyncio.Event()
        self.fail = False

    async def append(self, fixes: Sequence[Fix]) -> None:
        await self.release.wait()
        if self.fail:
            raise OSError("disk full")
        self.appends.append(list(fixes))

    def append_sync(self, fixes: Sequence[Fix]) -> None:
        self.appends.append(list(fixes))

    async def close(self) -> None:
        pass


def test_appends_made_while_two_are_in_flight_go_together_in_order() -> None:
    async def scenario() -> None:
        inner = SlowLog()
        log = BatchingLog(inner)
        first = []
        for d in "ab":  # one turn each: two appends of one fix
            first.append(asyncio.create_task(log.append([fix(d)])))
            await asyncio.sleep(0.01)
        others = [asyncio.create_task(log.append([fix(d, 1), fix(d, 2)])) for d in "cde"]
        await asyncio.sleep(0.01)
        assert not any(t.done() for t in [*first, *others])  # nobody returns before the log
        inner.release.set()
        await asyncio.gather(*first, *others)
        assert [len(batch) for batch in inner.appends] == [1, 1, 6]
        assert [f.device_id for f in inner.appends[2]] == ["c", "c", "d", "d", "e", "e"]

    asyncio.run(scenario())


def test_submit_calls_back_once_per_caller_on_the_loop_when_durable() -> None:
    async def scenario() -> None:
        inner = SlowLog()
        log = BatchingLog(inner)
        outcomes: list[tuple[str, BaseException | None]] = []

        def outcome_of(device: str) -> Callable[[BaseException | None], None]:
            return lambda error: outcomes.append((device, error))

        for d in "abc":
            log.submit([fix(d)], outcome_of(d))
        await asyncio.sleep(0.01)
        assert outcomes == []
        inner.release.set()
        for _ in range(50):
            await asyncio.sleep(0.01)
        assert sorted(outcomes, key=lambda o: o[0]) == [("a", None), ("b", None), ("c", None)]

    asyncio.run(scenario())


def test_every_caller_of_a_failed_batch_gets_the_error_and_later_ones_go_on() -> None:
    async def scenario() -> None:
        inner = SlowLog()
        inner.fail = True
        log = BatchingLog(inner)
        tasks = [asyncio.create_task(log.append([fix(d)])) for d in "ab"]
        await asyncio.sleep(0.01)
        inner.release.set()
        for task in tasks:
            with pytest.raises(OSError):
                await task
        inner.fail = False
        await log.append([fix("c")])
        assert inner.appends == [[fix("c")]]

    asyncio.run(scenario())


def test_positions_handed_over_in_one_turn_of_the_loop_go_as_one_append() -> None:
    async def scenario() -> None:
        inner = SlowLog()
        inner.release.set()
        log = BatchingLog(inner)
        outcomes: list[BaseException | None] = []
        for d in "abcde":  # as five connections read in one turn do
            log.submit([fix(d)], outcomes.append)
        for _ in range(20):
            await asyncio.sleep(0.01)
        assert [[f.device_id for f in batch] for batch in inner.appends] == [list("abcde")]
        assert outcomes == [None] * 5

    asyncio.run(scenario())


def test_an_alarm_is_appended_in_the_turn_that_handed_it_over() -> None:
    async def scenario() -> None:
        inner = SlowLog()
        inner.release.set()
        log = BatchingLog(inner)
        appended = asyncio.Event()
        sos = Fix("c", WHEN, 1.0, 2.0, alarms=frozenset({"sos"}))
        log.submit([sos], lambda error: appended.set())
        await asyncio.sleep(0)  # one turn: the append's task runs, no flush is waited for
        assert inner.appends == [[sos]]

    asyncio.run(scenario())


def test_a_batch_is_capped() -> None:
    async def scenario() -> None:
        inner = SlowLog()
        inner.release.set()
        log = BatchingLog(inner, max_batch=3)
        await asyncio.gather(*(log.append([fix(str(n))]) for n in range(7)))
        assert all(len(batch) <= 3 for batch in inner.appends)
        assert sum(len(batch) for batch in inner.appends) == 7

    asyncio.run(scenario())


class PositionsStuckLog(SlowLog):
    """Positions wait for `release`; alarms are appended at once."""

    async def append(self, fixes: Sequence[Fix]) -> None:
        if not any(f.alarms for f in fixes):
            await self.release.wait()
        self.appends.append(list(fixes))


def test_an_sos_is_appended_while_a_batch_of_positions_is_still_in_flight() -> None:
    async def scenario() -> None:
        inner = PositionsStuckLog()
        log = BatchingLog(inner)
        positions = asyncio.create_task(log.append([fix("a"), fix("b")]))
        await asyncio.sleep(0.01)
        sos = Fix("c", WHEN, 1.0, 2.0, alarms=frozenset({"sos"}))
        await asyncio.wait_for(log.append([sos]), timeout=1)  # not behind the positions
        assert not positions.done()
        inner.release.set()
        await positions
        assert [[f.device_id for f in batch] for batch in inner.appends] == [["c"], ["a", "b"]]

    asyncio.run(scenario())
