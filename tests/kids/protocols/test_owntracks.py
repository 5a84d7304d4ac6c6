"""OwnTracks: locations become fixes, the app's own region events stay attributes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from carewatch.kids.protocols.messages import ProtocolError
from carewatch.kids.protocols.owntracks import decode

from .samples import OWNTRACKS_LOCATION, OWNTRACKS_TRANSITION, RECEIVED


def test_the_location_sample_is_a_fix() -> None:
    message = decode(OWNTRACKS_LOCATION, "alice-phone", RECEIVED)
    assert (message.device_id, message.kind, message.reply) == ("alice-phone", "location", None)
    (fix,) = message.fixes
    assert fix.fix_time == datetime.fromtimestamp(1551874878, UTC)
    assert (fix.lat, fix.lon, fix.accuracy_m, fix.altitude) == (46.0681247, 11.1512805, 15.0, 440.0)
    assert (fix.battery, fix.speed_kmh, fix.located) == (46, 0.0, True)
    assert fix.attributes == {"tid": "5t", "conn": "w", "t": "u", "vac": 2}
    assert fix.alarms == frozenset()


def test_the_transition_sample_keeps_enter_as_attributes_without_an_alarm() -> None:
    (fix,) = decode(OWNTRACKS_TRANSITION, "bob", RECEIVED).fixes
    assert (fix.lat, fix.lon) == (48.87069, 2.34916)
    assert fix.fix_time == datetime.fromtimestamp(1707057574, UTC)
    assert fix.attributes["transition"] == "enter" and fix.attributes["place"] == "School"
    assert fix.attributes["rid"] == "f7676c" and fix.attributes["wtst"] == 1610104395
    assert fix.alarms == frozenset()


def test_leave_is_kept_too() -> None:
    body = json.dumps(
        {
            "_type": "transition",
            "event": "leave",
            "desc": "Home",
            "tst": 1700000000,
            "lat": 1.0,
            "lon": 2.0,
            "acc": 30,
        }
    ).encode()
    (fix,) = decode(body, "bob", RECEIVED).fixes
    assert fix.attributes["transition"] == "leave" and fix.accuracy_m == 30.0


@pytest.mark.parametrize("body", [b"", b"  \n"])
def test_an_empty_body_is_ignored(body: bytes) -> None:
    message = decode(body, "bob", RECEIVED)
    assert message.fixes == () and message.kind == "empty"


@pytest.mark.parametrize("kind", ["lwt", "waypoint", "waypoints", "card", "status", "cmd"])
def test_other_types_are_recognised_without_a_fix(kind: str) -> None:
    message = decode(json.dumps({"_type": kind}).encode(), "bob", RECEIVED)
    assert (message.kind, message.fixes) == (kind, ())


def test_a_location_without_a_position_still_brings_its_battery() -> None:
    body = json.dumps({"_type": "location", "lat": 0, "lon": 0, "batt": 9, "tst": 1700000000})
    (fix,) = decode(body.encode(), "bob", RECEIVED).fixes
    assert not fix.located and fix.battery == 9


def test_odd_values_are_left_out_not_fatal() -> None:
    body = json.dumps(
        {
            "_type": "location",
            "lat": "52.5",
            "lon": 13.4,
            "acc": -1,
            "vel": "x",
            "batt": 250,
            "tst": "garbage",
            "tid": {"a": 1},
        }
    ).encode()
    (fix,) = decode(body, "bob", RECEIVED).fixes
    assert fix.located and (fix.lat, fix.lon) == (52.5, 13.4)
    assert (fix.accuracy_m, fix.speed_kmh, fix.battery, fix.fix_time) == (
        None,
        None,
        None,
        RECEIVED,
    )
    assert "tid" not in fix.attributes


def test_a_queued_batch_gives_every_fix() -> None:
    body = b"[" + OWNTRACKS_LOCATION + b"," + OWNTRACKS_TRANSITION + b',{"_type":"lwt"}]'
    message = decode(body, "bob", RECEIVED)
    assert len(message.fixes) == 2 and message.attributes["types"] == [
        "location",
        "transition",
        "lwt",
    ]


@pytest.mark.parametrize(
    ("body", "device_id"),
    [
        (b"{", "bob"),
        (b"[1]", "bob"),
        (b'{"lat": 1}', "bob"),
        (b'"text"', "bob"),
        (b'{"_type": 5}', "bob"),
        (b'{"_type": ""}', "bob"),
        (OWNTRACKS_LOCATION, ""),
        (OWNTRACKS_LOCATION, "x" * 65),
        (b"[" * 100_000, "bob"),
        (b"\xff\xfe", "bob"),
    ],
)
def test_broken_messages_raise_protocol_error(body: bytes, device_id: str) -> None:
    with pytest.raises(ProtocolError):
        decode(body, device_id, RECEIVED)
