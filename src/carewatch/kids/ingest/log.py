"""The ingest log's interface; the embedded (SQLite) and NATS JetStream backends implement it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from carewatch.kids.tracking.model import ALARM_FALL, ALARM_REMOVED, ALARM_SOS, Fix

# Fixes carrying one of these take the fast lane: written and notified before any batch.
FAST_LANE_ALARMS = frozenset({ALARM_SOS, ALARM_FALL, ALARM_REMOVED})


def is_urgent(fix: Fix) -> bool:
    return not FAST_LANE_ALARMS.isdisjoint(fix.alarms)


class IngestLog(Protocol):
    async def append(self, fixes: Sequence[Fix]) -> None:
        """Return only once every fix is durable (on disk / acknowledged by JetStream)."""
        ...

    def append_sync(self, fixes: Sequence[Fix]) -> None:
        """The same for synchronous callers (the API, the demo's simulator thread)."""
        ...

    async def close(self) -> None: ...
