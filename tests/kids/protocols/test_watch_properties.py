"""Property tests: the watch framer and decoder survive anything a socket can deliver."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carewatch.kids.protocols.messages import ProtocolError
from carewatch.kids.protocols.watch import MAX_FRAME, STATUS_ALARMS, WatchFramer, decode

from .invariants import check
from .samples import RECEIVED, WATCH_SAMPLES, watch_frame

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

header = st.tuples(
    st.sampled_from(["3G", "SG", "CS", "ZJ", "3g"]),
    st.text("0123456789", min_size=1, max_size=15),
)
field = st.one_of(
    st.text(
        st.characters(min_codepoint=32, max_codepoint=126, exclude_characters="[],*}"), max_size=12
    ),
    st.sampled_from(
        [
            "",
            "A",
            "V",
            "N",
            "S",
            "E",
            "W",
            "nan",
            "inf",
            "-1",
            "0",
            "1e400",
            "99999999999999999999",
            "00010000",
            "ffffffff",
            "0.0",
            "22.5",
        ]
    ),
)
kinds = st.sampled_from(
    [
        "LK",
        "UD",
        "UD2",
        "UD3",
        "UD_LTE",
        "UD_WCDMA",
        "AL",
        "AL_LTE",
        "WT",
        "TKQ",
        "TKQ2",
        "INIT",
        "CONFIG",
        "TK",
        "JXTK",
        "img",
        "heart",
        "bphrt",
        "oxygen",
        "btemp2",
        "TEMP",
        "CR",
        "UPLOAD",
        "ZZ",
    ]
)


@SETTINGS
@given(st.lists(st.binary(max_size=200), max_size=10))
def test_the_framer_gives_frames_or_protocol_error_for_any_bytes(segments: list[bytes]) -> None:
    framer = WatchFramer(max_frame=256)
    try:
        for segment in segments:
            for frame in framer.feed(segment):
                assert frame[:1] == b"[" and frame[-1:] == b"]"
                assert b"[" not in frame[1:] and b"]" not in frame[:-1]
                assert len(frame) <= 256
            assert framer.buffered <= 256
    except ProtocolError:
        pass


@SETTINGS
@given(
    st.lists(st.sampled_from(WATCH_SAMPLES), min_size=1, max_size=6),
    st.lists(st.sampled_from([b"", b"\r\n", b" "]), min_size=6, max_size=6),
    st.lists(st.integers(min_value=1, max_value=400), max_size=20),
)
def test_the_framer_finds_the_same_frames_wherever_the_stream_is_cut(
    frames: list[bytes], gaps: list[bytes], cuts: list[int]
) -> None:
    stream = b"".join(gap + frame for gap, frame in zip(gaps, frames, strict=False))
    framer, found, at = WatchFramer(), [], 0
    for cut in [*cuts, len(stream)]:
        found += framer.feed(stream[at : at + cut])
        at += cut
    found += framer.feed(stream[at:])
    assert found == frames and framer.buffered == 0


@SETTINGS
@given(st.binary(max_size=400))
def test_decode_gives_a_message_or_protocol_error_for_any_bytes(data: bytes) -> None:
    for frame in (data, b"[" + data + b"]"):
        with contextlib.suppress(ProtocolError):
            check(decode(frame, RECEIVED))


@SETTINGS
@given(header, kinds, st.lists(field, max_size=40))
def test_decode_never_fails_on_a_well_framed_message_of_any_content(
    head: tuple[str, str], kind: str, fields: list[str]
) -> None:
    maker, device = head
    decoded = decode(watch_frame(",".join([kind, *fields]), maker, device), RECEIVED)
    check(decoded)
    assert decoded.device_id == device and decoded.attributes["manufacturer"] == maker


@SETTINGS
@given(
    st.integers(min_value=0, max_value=2**32 - 1),
    st.sampled_from(["A", "V"]),
    st.sampled_from(["22.5", "0", "0.000000", "", "x", "nan", "91"]),
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=0, max_value=99999),
)
def test_every_status_bit_raises_its_alarm_and_no_fix_drops_nothing(
    status: int, validity: str, lat: str, battery: int, steps: int
) -> None:
    content = (
        f"UD,220322,055105,{validity},{lat},N,{lat},E,0,0,0,5,50,{battery},{steps},0,"
        f"{status:08X},0,0"
    )
    (fix,) = decode(watch_frame(content), RECEIVED).fixes
    expected = {name for bit, name in STATUS_ALARMS if status & bit}
    assert fix.alarms == expected
    assert fix.battery == battery and fix.attributes["steps"] == steps
    assert fix.located == (validity == "A" and lat == "22.5")


@SETTINGS
@given(st.binary(min_size=1, max_size=MAX_FRAME // 64))
def test_a_binary_payload_in_escapes_stays_one_frame(payload: bytes) -> None:
    escaped = (
        payload.replace(b"}", b"}\x01")
        .replace(b"[", b"}\x02")
        .replace(b"]", b"}\x03")
        .replace(b",", b"}\x04")
        .replace(b"*", b"}\x05")
    )
    frame = b"[3G*1234567890*%04X*TK,%s]" % (len(escaped) + 3, escaped)
    (found,) = WatchFramer().feed(frame)
    decoded = decode(found, RECEIVED)
    if len(payload) > 1:
        assert decoded.attributes["media_bytes"] == len(payload)
