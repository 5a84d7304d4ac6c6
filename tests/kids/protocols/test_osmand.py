"""OsmAnd / Traccar Client: GET query, form POST and JSON, in every unit they use."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from carewatch.kids.protocols.messages import ProtocolError
from carewatch.kids.protocols.osmand import decode

from .samples import OSMAND_SAMPLES, RECEIVED


def get(uri: str):
    message = decode("GET", uri, b"", None, RECEIVED)
    (fix,) = message.fixes
    return message, fix


def test_the_first_sample_is_a_position_in_epoch_seconds() -> None:
    message, fix = get(OSMAND_SAMPLES[0])
    assert (message.device_id, message.kind, message.reply) == ("123456", "location", None)
    assert fix.fix_time == datetime(2013, 8, 22, 13, 14, 27, tzinfo=UTC)
    assert (fix.lat, fix.lon, fix.located) == (60.0, 30.0, True)
    assert (fix.speed_kmh, fix.course, fix.altitude) == (0.0, 0.0, 0.0)
    assert fix.attributes["hdop"] == "0.0"


def test_the_second_sample_has_an_iso_timestamp() -> None:
    _, fix = get(OSMAND_SAMPLES[1])
    assert fix.fix_time == datetime(2016, 1, 27, 18, 55, 47, tzinfo=UTC)
    assert (fix.lat, fix.lon, fix.altitude) == (42.06288, -88.23412, 224.0)


def test_the_third_sample_has_a_battery_and_no_timestamp() -> None:
    message, fix = get(OSMAND_SAMPLES[2])
    assert message.device_id == "861001000719969"
    assert (fix.battery, fix.fix_time, fix.lat) == (87, RECEIVED, 41.666667)


def test_milliseconds_are_told_from_seconds_by_size() -> None:
    _, fix = get("/?id=1&lat=1&lon=2&timestamp=1700000000123")
    assert fix.fix_time == datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC)
    _, fix = get(f"/?id=1&lat=1&lon=2&timestamp={2**31 - 1}")
    assert fix.fix_time.year == 2038


def test_iso_timestamps_with_an_offset_become_utc() -> None:
    _, fix = get("/?id=1&lat=1&lon=2&timestamp=2024-05-01T10:00:00%2B02:00")
    assert fix.fix_time == datetime(2024, 5, 1, 8, tzinfo=UTC)


def test_an_unreadable_timestamp_takes_the_time_of_receipt() -> None:
    _, fix = get("/?id=1&lat=1&lon=2&timestamp=yesterday")
    assert fix.fix_time == RECEIVED and fix.attributes["time_unreadable"] == "yesterday"


def test_query_speed_is_knots() -> None:
    _, fix = get("/?id=1&lat=1&lon=2&speed=10&bearing=270")
    assert fix.speed_kmh == pytest.approx(18.52)
    assert fix.course == 270.0


def test_heading_stands_for_bearing() -> None:
    assert get("/?id=1&lat=1&lon=2&heading=90")[1].course == 90.0


def test_location_gives_lat_and_lon_together() -> None:
    _, fix = get("/?deviceid=abc&location=52.5%2C13.4&accuracy=12")
    assert (fix.lat, fix.lon, fix.accuracy_m, fix.located) == (52.5, 13.4, 12.0, True)


@pytest.mark.parametrize(("batt", "percent"), [("87", 87), ("87.4", 87), ("0.5", 50), ("1", 1)])
def test_battery_is_percent_or_a_fraction(batt: str, percent: int) -> None:
    assert get(f"/?id=1&lat=1&lon=2&batt={batt}")[1].battery == percent


def test_alarm_sos_raises_sos_and_charge_is_kept() -> None:
    _, fix = get("/?id=1&lat=1&lon=2&alarm=sos&charge=true")
    assert fix.alarms == {"sos"}
    assert fix.attributes["charging"] is True


def test_an_unknown_alarm_is_kept_as_an_attribute() -> None:
    _, fix = get("/?id=1&lat=1&lon=2&alarm=tampering")
    assert fix.alarms == frozenset() and fix.attributes["alarm"] == "tampering"


@pytest.mark.parametrize(
    "uri",
    [
        "/?id=1&alarm=sos",
        "/?id=1&lat=0&lon=0&alarm=sos",
        "/?id=1&lat=x&lon=2&alarm=sos",
        "/?id=1&lat=1&lon=2&valid=false&alarm=sos",
        "/?id=1&lat=nan&lon=2&alarm=sos",
    ],
)
def test_an_sos_without_a_position_is_still_an_sos(uri: str) -> None:
    _, fix = get(uri + "&batt=40")
    assert not fix.located and fix.alarms == {"sos"} and fix.battery == 40


def test_other_keys_are_attributes() -> None:
    _, fix = get("/?id=1&lat=1&lon=2&driverUniqueId=42&wifi=aa:bb,-60")
    assert fix.attributes["driveruniqueid"] == "42"
    assert fix.attributes["wifi"] == "aa:bb,-60"


def test_a_form_post_reads_the_body() -> None:
    body = b"id=77&lat=48.1&lon=11.5&timestamp=1700000000&speed=1&batt=55"
    message = decode("POST", "/osmand/", body, "application/x-www-form-urlencoded", RECEIVED)
    (fix,) = message.fixes
    assert message.device_id == "77"
    assert (fix.lat, fix.lon, fix.battery) == (48.1, 11.5, 55)
    assert fix.speed_kmh == pytest.approx(1.852)


JSON_BODY = {
    "device_id": "phone-1",
    "location": {
        "timestamp": "2024-03-01T12:00:00.000Z",
        "coords": {
            "latitude": 52.5,
            "longitude": 13.4,
            "accuracy": 8,
            "speed": 2.0,
            "heading": 180,
            "altitude": 35,
        },
        "is_moving": True,
        "odometer": 1200.5,
        "battery": {"level": 0.64, "is_charging": False},
        "activity": {"type": "walking"},
    },
}


def test_the_json_form_uses_metres_per_second_and_a_battery_fraction() -> None:
    body = json.dumps(JSON_BODY).encode()
    message = decode("POST", "/", body, "application/json", RECEIVED)
    (fix,) = message.fixes
    assert message.device_id == "phone-1" and message.attributes["form"] == "json"
    assert fix.fix_time == datetime(2024, 3, 1, 12, tzinfo=UTC)
    assert (fix.lat, fix.lon, fix.accuracy_m, fix.course, fix.altitude) == (
        52.5,
        13.4,
        8.0,
        180.0,
        35.0,
    )
    assert fix.speed_kmh == pytest.approx(7.2)
    assert fix.battery == 64
    assert fix.attributes == {
        "charging": False,
        "is_moving": True,
        "odometer": 1200.5,
        "activity": "walking",
    }


def test_the_json_form_is_recognised_without_a_content_type() -> None:
    message = decode("POST", "/", json.dumps(JSON_BODY).encode(), None, RECEIVED)
    assert message.fixes[0].located


def test_a_json_batch_gives_every_fix_and_an_alarm() -> None:
    batch = dict(
        JSON_BODY,
        location=[
            JSON_BODY["location"],
            {
                "timestamp": 1700000000000,
                "coords": {"latitude": 0, "longitude": 0, "speed": -1, "heading": -1},
                "battery": {"level": -1},
                "alarm": "sos",
            },
        ],
    )
    message = decode("POST", "/", json.dumps(batch).encode(), "application/json", RECEIVED)
    first, second = message.fixes
    assert first.located and not second.located
    assert second.alarms == {"sos"}
    assert (second.speed_kmh, second.course, second.battery) == (None, None, None)
    assert second.fix_time == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


def test_the_json_device_id_may_come_from_the_query() -> None:
    body = json.dumps({"location": JSON_BODY["location"]}).encode()
    assert decode("POST", "/?id=q7", body, "application/json", RECEIVED).device_id == "q7"


@pytest.mark.parametrize(
    ("method", "uri", "body", "content_type"),
    [
        ("GET", "/?lat=1&lon=2", b"", None),
        ("GET", "/?id=&lat=1", b"", None),
        ("GET", "/", b"", None),
        ("DELETE", "/?id=1", b"", None),
        ("POST", "/", b"{not json", "application/json"),
        ("POST", "/", b"[1,2]", "application/json"),
        ("POST", "/", b'{"device_id": "x"}', "application/json"),
        ("POST", "/", b'{"device_id": "x", "location": []}', "application/json"),
        ("POST", "/", b'{"device_id": "x", "location": [1]}', "application/json"),
        ("POST", "/", b'{"device_id": 5, "location": {}}', "application/json"),
        ("GET", "/?" + "&".join(f"k{i}=1" for i in range(500)) + "&id=1", b"", None),
        ("GET", "/?id=" + "9" * 100, b"", None),
    ],
)
def test_broken_requests_raise_protocol_error(
    method: str, uri: str, body: bytes, content_type: str | None
) -> None:
    with pytest.raises(ProtocolError):
        decode(method, uri, body, content_type, RECEIVED)


def test_a_path_that_looks_like_a_broken_host_is_still_read() -> None:
    # found by the fuzzer: urlsplit refuses "//x]..." as an invalid IPv6 host
    assert decode("GET", "//\x08]\xff0?id=5&lat=1&lon=2", b"", None, RECEIVED).device_id == "5"
