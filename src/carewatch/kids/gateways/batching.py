"""Group appends: what many connections hand over while an append is in flight goes to
the log together in the next one. No Django.

Positions handed over in one turn of the event loop go to the log together at the end of
that turn (no timer: at a low rate each append still goes at once); under load, hundreds
of small appends (one per TCP segment) become a few large ones, and the log's per-append
cost (a JetStream publish per partition, a commit) is paid once for all of them. Each
caller is told only when its own fixes are durable, and gets the error if they are not.

Callers hand fixes over with `submit(fixes, done)`: no task and no future per frame, so
a gateway holding thousands of busy connections spends its event loop on reading, not
on waking one coroutine per frame. `done` runs on the loop, once per call.

Alarms (SOS, fall, removed) are grouped apart: an SOS never waits for a batch of
positions being appended, only for other alarms (the log keeps them in a lane of their
own anyway, so their order against positions was never the log's to keep).

Order: two batches of one kind may be in flight at once. That cannot reorder a device's
fixes because a connection hands over its next frames only after its last ones were
durable (the watch server stops reading it meanwhile).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from carewatch.kids.ingest.log import NORMAL, URGENT, IngestLog, is_urgent
from carewatch.kids.tracking import Fix
from carewatch.platform.lib.futures import error_of, settle

log = logging.getLogger(__name__)

# Fixes per append, at most. Small enough that settling one batch is a short turn of the
# event loop (an SOS read behind it waits for no more than that), large enough that the
# log's per-append cost is spread thin; two batches in flight keep the log busy.
MAX_BATCH = 1_000
IN_FLIGHT = 2  # appends of one kind under way at once

Done = Callable[[BaseException | None], None]


class BatchingLog:
    """An IngestLog in front of another one; create and use it on one event loop."""

    def __init__(self, log: IngestLog, max_batch: int = MAX_BATCH) -> None:
        self.log = log
        self.max_batch = max_batch
        self._groups = {
            URGENT: _Group(log, max_batch, at_once=True),
            NORMAL: _Group(log, max_batch, at_once=False),
        }

    def submit(self, fixes: Sequence[Fix], done: Done) -> None:
        """Hands fixes to the log; `done(None)` once all are durable, `done(error)` if not."""
        if not fixes:
            asyncio.get_running_loop().call_soon(done, None)
            return
        urgent = [fix for fix in fixes if is_urgent(fix)]
        if not urgent:
            self._groups[NORMAL].submit(fixes, done)
            return
        normal = [fix for fix in fixes if not is_urgent(fix)]
        if not normal:
            self._groups[URGENT].submit(urgent, done)
            return
        both = _AllOf(2, done)
        self._groups[URGENT].submit(urgent, both.one_done)
        self._groups[NORMAL].submit(normal, both.one_done)

    async def append(self, fixes: Sequence[Fix]) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.submit(fixes, lambda error: settle(future, error))
        await future

    def append_sync(self, fixes: Sequence[Fix]) -> None:
        self.log.append_sync(fixes)

    async def close(self) -> None:
        await self.log.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.log, name)  # name, partitions... of the log behind


class _Group:
    """Fixes of one kind (alarms, or positions) waiting for the next append.

    Alarms go `at_once` when an append slot is free. Positions wait for the end of the
    turn: a busy gateway hands over one frame at a time, and sending the first of a
    turn's frames alone would spend a whole append (a publish per partition, its
    acknowledgement, a message for the workers to read) on a single fix."""

    def __init__(self, log: IngestLog, max_batch: int, *, at_once: bool) -> None:
        self.log, self.max_batch, self.at_once = log, max_batch, at_once
        self._waiting: deque[tuple[Sequence[Fix], Done]] = deque()
        self._in_flight = 0
        self._flush_due = False

    def submit(self, fixes: Sequence[Fix], done: Done) -> None:
        self._waiting.append((fixes, done))
        if self._in_flight >= IN_FLIGHT or self._flush_due:
            return  # an append that finishes, or the flush due, takes these along
        if self.at_once:
            self._send_next()
        else:
            self._flush_due = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_due = False
        if self._in_flight < IN_FLIGHT:
            self._send_next()

    def _send_next(self) -> None:
        batch: list[Done] = []
        fixes: list[Fix] = []
        while self._waiting and len(fixes) < self.max_batch:
            part, done = self._waiting.popleft()
            fixes.extend(part)
            batch.append(done)
        if not batch:
            return
        self._in_flight += 1

        def finished(error: BaseException | None) -> None:
            self._in_flight -= 1
            for done in batch:  # every caller of this batch gets its outcome
                _call(done, error)
            if self._waiting and self._in_flight < IN_FLIGHT:
                self._send_next()

        _append_then(self.log, fixes, finished)


def _append_then(log: IngestLog, fixes: list[Fix], finished: Done) -> None:
    """Starts the append now and calls `finished` on this loop when it is over. A log that
    appends from its own thread (both of ours) is handed the fixes at once, without
    waiting for a task to start: an SOS goes out in the same turn of the loop that read it."""
    loop = asyncio.get_running_loop()
    append_then = getattr(log, "append_then", None)
    if append_then is not None:
        append_then(fixes, lambda error: loop.call_soon_threadsafe(finished, error))
        return
    task = loop.create_task(log.append(fixes))
    task.add_done_callback(lambda task: finished(error_of(task)))


class _AllOf:
    """Calls `done` once `count` parts have finished, with the first error if any."""

    def __init__(self, count: int, done: Done) -> None:
        self.left, self.done = count, done
        self.error: BaseException | None = None

    def one_done(self, error: BaseException | None) -> None:
        self.left -= 1
        self.error = self.error or error
        if self.left == 0:
            self.done(self.error)


def _call(done: Done, error: BaseException | None) -> None:
    try:
        done(error)
    except Exception:  # one caller's failure must not keep the others waiting
        log.exception("A gateway callback failed after an append")
