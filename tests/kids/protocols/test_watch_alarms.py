"""Watch status bits: every bit that is set raises its alarm, with or without a fix."""

from __future__ import annotations

import pytest

from carewatch.kids.protocols.watch import decode

from .samples import RECEIVED, ud

BITS = {
    0: "low_battery",
    17: "low_battery",
    1: "geofence_exit",
    18: "geofence_exit",
    2: "geofence_enter",
    19: "geofence_enter",
    16: "sos",
    20: "removed",
    21: "fall",
    22: "fall",
}


def alarms(status: int, **fields: str) -> frozenset[str]:
    (fix,) = decode(ud(status=f"{status:08X}", **fields), RECEIVED).fixes
    return fix.alarms


@pytest.mark.parametrize(("bit", "alarm"), sorted(BITS.items()))
def test_each_status_bit_raises_its_alarm(bit: int, alarm: str) -> None:
    assert alarms(1 << bit) == {alarm}


def test_every_set_bit_is_reported_not_only_the_first() -> None:
    # the peer server's bug: low battery (bit 0) hid the SOS (bit 16)
    assert alarms(1 << 0 | 1 << 16) == {"low_battery", "sos"}
    everything = sum(1 << bit for bit in BITS)
    assert alarms(everything) == set(BITS.values())


def test_bits_without_an_alarm_raise_nothing() -> None:
    assert alarms(1 << 3 | 1 << 4 | 1 << 8) == frozenset()
    assert alarms(0) == frozenset()


def test_a_short_status_field_is_read_as_hex() -> None:
    (fix,) = decode(ud(status="10000"), RECEIVED).fixes
    assert fix.alarms == {"sos"}


@pytest.mark.parametrize(
    ("validity", "lat", "lon"),
    [
        ("V", "22.5", "114.1"),
        ("A", "0", "0"),
        ("A", "0.000000", "0.000000"),
        ("V", "0", "0"),
        ("A", "nan", "114.1"),
        ("A", "95.0", "114.1"),
        ("A", "", ""),
        ("A", "abc", "1"),
    ],
)
def test_no_position_never_drops_the_alarm_battery_or_steps(
    validity: str, lat: str, lon: str
) -> None:
    frame = ud(status="00010001", validity=validity, lat=lat, lon=lon, battery="22")
    (fix,) = decode(frame, RECEIVED).fixes
    assert not fix.located and not fix.valid
    assert fix.alarms == {"sos", "low_battery"}
    assert fix.battery == 22 and fix.attributes["steps"] == 321


def test_a_broken_status_field_keeps_the_position() -> None:
    (fix,) = decode(ud(status="zz"), RECEIVED).fixes
    assert fix.located and fix.alarms == frozenset()
    assert "status" not in fix.attributes


def test_a_battery_out_of_range_is_left_out() -> None:
    (fix,) = decode(ud(battery="250"), RECEIVED).fixes
    assert fix.battery is None
