"""Group appends: what many connections hand over while one append is in flight goes
to the log together in the next one. No Django.

At a low rate each append goes at once (no added wait); under load, hundreds of small
appends (one per TCP segment) become a few large ones, and the log's per-append cost
(a JetStream publish per partition, a commit) is paid once for all of them. Each caller
still returns only when its own fixes are durable, and gets the error if they are not.
One connection waits for its append before reading on, so a device's order is kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from carewatch.kids.ingest.log import IngestLog
from carewatch.kids.tracking import Fix

MAX_BATCH = 5_000  # fixes per append to the log, at most


class BatchingLog:
    """An IngestLog in front of another one; create and use it on one event loop."""

    def __init__(self, log: IngestLog, max_batch: int = MAX_BATCH) -> None:
        self.log = log
        self.max_batch = max_batch
        self._waiting: list[tuple[Sequence[Fix], asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def append(self, fixes: Sequence[Fix]) -> None:
        if not fixes:
            return
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

    def append_sync(self, fixes: Sequence[Fix]) -> None:
        self.log.append_sync(fixes)

    async def close(self) -> None:
        await self.log.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.log, name)  # name, partitions... of the log behind
