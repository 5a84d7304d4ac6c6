"""Fuzz the OsmAnd decoder: the first line is the request line's URI, the rest the body.

uv run --group fuzz python fuzz/fuzz_osmand.py -max_total_time=60
"""

from __future__ import annotations

import contextlib
import sys
from datetime import UTC, datetime
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import check, main  # noqa: E402

with atheris.instrument_imports():
    from carewatch.kids.protocols import osmand
    from carewatch.kids.protocols.messages import ProtocolError

RECEIVED = datetime(2026, 1, 1, tzinfo=UTC)
CONTENT_TYPES = [None, "application/json", "application/x-www-form-urlencoded", "text/plain"]


def test_one_input(data: bytes) -> None:
    uri, _, body = data.partition(b"\n")
    method = "POST" if body else "GET"
    content_type = CONTENT_TYPES[len(uri) % len(CONTENT_TYPES)]
    with contextlib.suppress(ProtocolError):
        check(osmand.decode(method, uri.decode("latin-1"), body, content_type, RECEIVED))


if __name__ == "__main__":
    main("osmand", test_one_input)
