"""Fuzz the OwnTracks decoder with any body (JSON or not).

uv run --group fuzz python fuzz/fuzz_owntracks.py -max_total_time=60
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
    from carewatch.kids.protocols import owntracks
    from carewatch.kids.protocols.messages import ProtocolError

RECEIVED = datetime(2026, 1, 1, tzinfo=UTC)


def test_one_input(data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        check(owntracks.decode(data, "fuzz", RECEIVED))


if __name__ == "__main__":
    main("owntracks", test_one_input)
