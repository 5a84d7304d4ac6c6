"""The ingest log and its workers: the one way positions enter CareWatch.

Gateways, the simulator and the API `append` fixes to the log; `append` returns only
when they are durable, and only then is the device acknowledged. Ingest workers own
partitions of the log (hash of the device id), run the tracking rules on batches, write
positions, device state and events, notify, and acknowledge the log after the commit.
Alarm fixes (SOS, fall, removed) travel in their own fast lane. See DESIGN.md
"Device to parent".
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from carewatch.kids.ingest.log import Log

_opened: dict[tuple[str, int, str], Log] = {}
_lock = threading.Lock()


def open_log() -> Log:
    """The process's ingest log as the settings say: JetStream when NATS_URL is set, else the
    SQLite file in DATA_DIR. One per process, shared, so appends share their commits."""
    from django.conf import settings

    url = settings.NATS_URL or ""
    key = (url, settings.INGEST_PARTITIONS, settings.INGEST_STREAM)
    with _lock:
        if key not in _opened:
            _opened[key] = _make(url, settings.INGEST_PARTITIONS, settings.INGEST_STREAM)
        return _opened[key]


def _make(url: str, partitions: int, stream: str) -> Log:
    from django.conf import settings

    if url:
        from carewatch.kids.ingest.jetstream import JetStreamLog

        return JetStreamLog(url, partitions, stream)
    from carewatch.kids.ingest.embedded import SqliteLog

    return SqliteLog(settings.DATA_DIR / "ingest-log.sqlite3", partitions)
