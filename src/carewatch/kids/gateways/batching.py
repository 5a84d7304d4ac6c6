"""Group appends: what many connections hand over while one append is in flight goes
to the log together in the next one. No Django.

At a low rate each append goes at once (no added wait); under load, hundreds of small
appends (one per TCP segment) become a few large ones, and the log's per-append cost
(a JetStream publish per partition, a commit) is paid once for all of them. Each caller
still returns only when its own fixes are durable, and gets the error if they are not.
One connection waits for its append before reading on, so a device's order is kept.

Alarms (SOS, fall, removed) are grouped apart: an SOS never waits for a batch of
positions being appended, only for other alarms (the log keeps them in a lane of their
own anyway, so their order against positions was never the log's to keep).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from carewatch.kids.ingest.log import NORMAL, URGENT, IngestLog, is_urgent
from carewatch.kids.tracking import Fix

MAX_BATCH = 5_000  # fixes per append to the log, at most


class BatchingLog:
    """An IngestLog in front of another one; create and use it on one event loop."""

    def __init__(self, log: IngestLog, max_batch: int = MAX_BATCH) -> None:
        self.log = log
        self.max_batch = max_batch
        self._groups = {lane: _Group(log, max_batch) for lane in (URGENT, NORMAL)}

    async def append(self, fixes: Sequence[Fix]) -> None:
        if not fixes:
            return
        urgent = [fix for fix in fixes if is_urgent(fix)]
        if not urgent:
            await self._groups[NORMAL].append(fixes)
            return
        normal = [fix for fix in fixes if not is_urgent(fix)]
        appends = [self._groups[URGENT].append(urgent)]
        if normal:
            appends.append(self._groups[NORMAL].append(normal))
        results = await asyncio.gather(*appends, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result

    def append_sync(self, fixes: Sequence[Fix]) -> None:
        self.log.append_sync(fixes)

    async def close(self) -> None:
        await self.log.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.log, name)  # name, partitions... of the log behind


class _Group:
    """Appends waiting for the next append of one kind (alarms, or positions)."""

    def __init__(self, log: IngestLog, max_batch: int) -> None:
        self.log, self.max_batch = log, max_batch
        self._waiting: list[tuple[Sequence[Fix], asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def append(self, fixes: Sequence[Fix]) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((fixes, future))
        if self._flusher is None:
            self._flusher = asyncio.get_running_loop().create_task(self._flush())
        await future

    async def _flush(self) -> None:
        try:
            while self._waiting:
                batch, size = [], 0
                while self._waiting and size < self.max_batch:
                    fixes, future = self._waiting.pop(0)
                    batch.append((fixes, future))
                    size += len(fixes)
                error: BaseException | None = None
                try:
                    await self.log.append([fix for fixes, _ in batch for fix in fixes])
                except Exception as failure:  # every caller of this batch gets it
                    error = failure
                for _, future in batch:
                    if future.done():
                        continue
                    if error is None:
                        future.set_result(None)
                    else:
                        future.set_exception(error)
        finally:
            self._flusher = None
