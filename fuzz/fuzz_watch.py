"""Fuzz the watch framer and decoder: any bytes, in any segments, from a TCP socket.

    uv run --group fuzz python fuzz/fuzz_watch.py -max_total_time=60

Crashes on anything but ProtocolError, and on a decoded message that breaks the
invariants in common.check (see fuzz/README.md).
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
    from carewatch.kids.protocols import watch
    from carewatch.kids.protocols.messages import ProtocolError

RECEIVED = datetime(2026, 1, 1, tzinfo=UTC)


def test_one_input(data: bytes) -> None:
    # the first byte picks where the stream is cut, so splits get fuzzed too
    step = (data[0] if data else 0) % 64 + 1
    framer = watch.WatchFramer(max_frame=4096)
    stream = data[1:]
    try:
        for at in range(0, len(stream), step):
            for frame in framer.feed(stream[at : at + step]):
                assert frame[:1] == b"[" and frame[-1:] == b"]"
                with contextlib.suppress(ProtocolError):
                    check(watch.decode(frame, RECEIVED))
    except ProtocolError:
        pass
    with contextlib.suppress(ProtocolError):  # the whole input as one frame, unchecked
        check(watch.decode(b"[" + stream + b"]", RECEIVED))


if __name__ == "__main__":
    main("watch", test_one_input)
