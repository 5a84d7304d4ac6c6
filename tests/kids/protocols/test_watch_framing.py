"""WatchFramer: complete [..] frames out of a TCP stream, however it is cut."""

from __future__ import annotations

import pytest

from carewatch.kids.protocols.messages import ProtocolError
from carewatch.kids.protocols.watch import WatchFramer

from .samples import WATCH_AL_LTE_SOS, WATCH_LK, WATCH_SAMPLES, WATCH_UD, WATCH_UD2


def test_it_returns_a_frame_that_came_in_one_segment() -> None:
    assert WatchFramer().feed(WATCH_LK) == [WATCH_LK]


def test_it_joins_a_frame_sent_one_byte_at_a_time() -> None:
    framer = WatchFramer()
    out = [frame for byte in WATCH_UD for frame in framer.feed(bytes([byte]))]
    assert out == [WATCH_UD]
    assert framer.buffered == 0


def test_it_splits_several_frames_in_one_segment_and_keeps_the_unfinished_one() -> None:
    framer = WatchFramer()
    stream = b"".join(WATCH_SAMPLES)
    assert framer.feed(stream + WATCH_UD2[:10]) == WATCH_SAMPLES
    assert framer.buffered == 10
    assert framer.feed(WATCH_UD2[10:] + WATCH_LK) == [WATCH_UD2, WATCH_LK]


@pytest.mark.parametrize("cut", [1, 7, 20, 50, 100])
def test_it_returns_the_same_frames_wherever_the_stream_is_cut(cut: int) -> None:
    stream = b"".join(WATCH_SAMPLES) * 3
    framer = WatchFramer()
    out = [f for at in range(0, len(stream), cut) for f in framer.feed(stream[at : at + cut])]
    assert out == WATCH_SAMPLES * 3


def test_it_skips_newlines_and_blanks_between_frames() -> None:
    framer = WatchFramer()
    assert framer.feed(b"\r\n" + WATCH_LK + b"\r\n \x00" + WATCH_LK + b"\n") == [WATCH_LK] * 2


def test_it_leaves_escapes_for_the_decoder() -> None:
    frame = b"[3G*1234567890*0009*TK,\x01}\x03}\x02\xff]"
    assert WatchFramer().feed(frame[:12]) == []
    framer = WatchFramer()
    assert framer.feed(frame) == [frame]


def test_it_drops_a_frame_cut_short_by_the_next_one() -> None:
    framer = WatchFramer()
    assert framer.feed(WATCH_UD[:40] + WATCH_AL_LTE_SOS) == [WATCH_AL_LTE_SOS]
    assert framer.discarded == 1


@pytest.mark.parametrize(
    "garbage",
    [b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"\x16\x03\x01\x02\x00", b"hello" + WATCH_LK],
)
def test_it_refuses_bytes_outside_frames(garbage: bytes) -> None:
    with pytest.raises(ProtocolError):
        WatchFramer().feed(garbage)


def test_it_refuses_garbage_after_good_frames() -> None:
    with pytest.raises(ProtocolError):
        WatchFramer().feed(WATCH_LK + b"junk")


def test_it_refuses_an_unfinished_frame_over_the_cap() -> None:
    framer = WatchFramer(max_frame=1000)
    framer.feed(b"[3G*1234567890*FFFF*TK," + b"a" * 900)
    with pytest.raises(ProtocolError):
        framer.feed(b"a" * 200)


def test_it_refuses_a_complete_frame_over_the_cap() -> None:
    with pytest.raises(ProtocolError):
        WatchFramer(max_frame=100).feed(b"[3G*1234567890*FFFF*TK," + b"a" * 200 + b"]")


def test_its_default_cap_is_64_kib() -> None:
    framer = WatchFramer()
    big = b"[3G*1234567890*FFFF*img,1,220322055105," + b"a" * 60_000 + b"]"
    assert framer.feed(big) == [big]
    with pytest.raises(ProtocolError):
        framer.feed(b"[" + b"a" * (64 * 1024 + 1))


def test_an_empty_segment_gives_nothing() -> None:
    framer = WatchFramer()
    assert framer.feed(b"") == []
    assert framer.feed(WATCH_LK[:5]) == []
    assert framer.feed(b"") == []
    assert framer.feed(WATCH_LK[5:]) == [WATCH_LK]


def test_a_large_frame_trickling_in_byte_by_byte_is_assembled() -> None:
    # the framer searches only the new bytes, so this stays linear (a slow sender)
    framer = WatchFramer()
    big = b"[3G*1234567890*FFFF*img,1,220322055105," + b"\xff" * 50_000 + b"]"
    out = [frame for at in range(len(big)) for frame in framer.feed(big[at : at + 1])]
    assert out == [big] and framer.buffered == 0
