"""The ingest log this process hands fixes to (`open_log()`, once), replaceable in tests."""

from __future__ import annotations

import threading

from carewatch.kids.ingest.log import IngestLog

_log: IngestLog | None = None
_lock = threading.Lock()


def ingest_log() -> IngestLog:
    global _log
    with _lock:
        if _log is None:
            from carewatch.kids.ingest import open_log

            _log = open_log()
        return _log


def use_log(log: IngestLog | None) -> None:
    """Tests and `carewatch gateway` choose the log; None opens the configured one next time."""
    global _log
    with _lock:
        _log = log
