"""Downlink commands for a watch: framed with the right length, checked before sending."""

from __future__ import annotations

import pytest

from carewatch.kids.protocols import watch
from carewatch.kids.protocols.watch import WatchFramer, decode, encode_command

from .samples import RECEIVED


def test_a_command_is_framed_with_its_length_in_hex() -> None:
    assert encode_command("3G", "4700186508", "CR") == b"[3G*4700186508*0002*CR]"
    assert encode_command("SG", "8800000015", "UPLOAD,600") == b"[SG*8800000015*000A*UPLOAD,600]"


def test_a_zj_watch_gets_an_index() -> None:
    assert encode_command("ZJ", "123456", "CR") == b"[ZJ*123456*0001*0002*CR]"
    assert encode_command("ZJ", "123456", "CR", index="0042") == b"[ZJ*123456*0042*0002*CR]"


def test_a_long_command_counts_bytes_in_hex() -> None:
    frame = encode_command("3G", "1", "SOS1," + "1" * 20)
    assert frame.split(b"*")[2] == b"0019"


def test_a_framed_command_reads_back_as_a_frame() -> None:
    frame = encode_command("3G", "4700186508", watch.silence_time(["08:00-12:00"]))
    assert WatchFramer().feed(frame) == [frame]
    assert decode(frame, RECEIVED).kind == "SILENCETIME"


@pytest.mark.parametrize(
    ("manufacturer", "device_id", "text"),
    [
        ("3G", "47001", ""),
        ("3G", "47001", "A]B"),
        ("3G", "47001", "A[B"),
        ("3G", "", "CR"),
        ("3G", "12*3", "CR"),
        ("", "47001", "CR"),
        ("3G", "47001", "CR\r\n"),
    ],
)
def test_unsendable_commands_are_refused(manufacturer: str, device_id: str, text: str) -> None:
    with pytest.raises(ValueError):
        encode_command(manufacturer, device_id, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (watch.locate_now(), "CR"),
        (watch.upload_interval(600), "UPLOAD,600"),
        (watch.sos_number(1, "+4915112345678"), "SOS1,+4915112345678"),
        (watch.sos_number(3, ""), "SOS3,"),
        (
            watch.silence_time(["08:00-12:00", "13:00-15:30"]),
            "SILENCETIME,08:00-12:00,13:00-15:30,00:00-00:00,00:00-00:00",
        ),
        (watch.language_timezone(0, 5.5), "LZ,0,5.5"),
        (watch.language_timezone(1, -3), "LZ,1,-3"),
        (watch.find_watch(), "FIND"),
        (watch.power_off(), "POWEROFF"),
        (watch.reset(), "RESET"),
    ],
)
def test_the_command_helpers_write_the_watch_syntax(text: str, expected: str) -> None:
    assert text == expected


@pytest.mark.parametrize(
    "build",
    [
        lambda: watch.upload_interval(5),
        lambda: watch.upload_interval(100_000),
        lambda: watch.sos_number(4, "123456"),
        lambda: watch.sos_number(1, "12,34"),
        lambda: watch.sos_number(1, "call me"),
        lambda: watch.silence_time(["8-12"]),
        lambda: watch.silence_time(["08:00-12:00"] * 5),
        lambda: watch.silence_time(["25:00-26:00"]),
        lambda: watch.language_timezone(0, 15),
        lambda: watch.language_timezone(100, 0),
    ],
)
def test_the_helpers_refuse_bad_values(build) -> None:
    with pytest.raises(ValueError):
        build()
