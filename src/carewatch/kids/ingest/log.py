"""The ingest log's interface; the embedded (SQLite) and NATS JetStream backends implement it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from carewatch.kids.tracking.model import ALARM_FALL, ALARM_REMOVED, ALARM_SOS, Fix

# Fixes carrying one of these take the fast lane: written and notified before any batch.
FAST_LANE_ALARMS = frozenset({ALARM_SOS, ALARM_FALL, ALARM_REMOVED})


def is_urgent(fix: Fix) -> bool:
    return not FAST_LANE_ALARMS.isdisjoint(fix.alarms)


# The two lanes of every partition: alarms are read and processed before positions.
NORMAL, URGENT = 0, 1
LANES = (URGENT, NORMAL)


class IngestLog(Protocol):
    async def append(self, fixes: Sequence[Fix]) -> None:
        """Return only once every fix is durable (on disk / acknowledged by JetStream)."""
        ...

    def append_sync(self, fixes: Sequence[Fix]) -> None:
        """The same for synchronous callers (the API, the demo's simulator thread)."""
        ...

    # Both backends also offer `append_then(fixes, done)`: start the append and return at
    # once; `done(error or None)` is called from the log's own thread when it is over. The
    # gateways use it (see gateways/batching.py); a log without it is awaited in a task.

    async def close(self) -> None: ...


# --- The reading side (an extension of the contract, used by the ingest workers) ---


@dataclass(frozen=True, slots=True)
class LogMessage:
    """One appended group: the fixes of one append for one partition and lane, in order.

    `seq` grows within a (partition, lane) and is never reused; `appended` is the Unix
    time of the append (for lag and latency figures).
    """

    partition: int
    lane: int
    seq: int
    body: bytes
    appended: float
    fixes: int = 1  # how many fixes the body holds (batches are sized by it)


@dataclass(frozen=True, slots=True)
class Backlog:
    """What waits in one (partition, lane) after the processed offset."""

    messages: int
    oldest: float | None  # Unix time of the oldest waiting append


class LogReader(Protocol):
    """What a worker needs besides IngestLog. `after` maps partition -> last seq processed."""

    name: str  # identifies this log's sequence space (offsets are kept per name)
    partitions: int

    async def read(
        self, lane: int, after: Mapping[int, int], limit: int, wait_s: float
    ) -> list[LogMessage]:
        """Up to `limit` messages after those seqs, in seq order per partition; waits up to
        `wait_s` for the first."""
        ...

    async def trim(self, lane: int, processed: Mapping[int, int]) -> None:
        """Forget messages up to these seqs (they are in the database)."""
        ...

    async def backlog(self, lane: int, after: Mapping[int, int]) -> dict[int, Backlog]: ...


class Log(IngestLog, LogReader, Protocol):
    """Both sides: what `open_log()` returns."""
