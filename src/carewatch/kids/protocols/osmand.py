"""The OsmAnd protocol, as the Traccar Client app and OsmAnd's live tracking speak it.

Three forms reach the same decoder: a GET query (`/?id=...&lat=...`), the same keys
as a form POST, and the JSON that newer Traccar Clients POST
(`{"device_id": ..., "location": {"coords": {...}, "battery": {...}}}`, where
`location` may be a list of buffered fixes). Speeds are knots in the key/value forms
and m/s in JSON; battery is percent or a 0..1 fraction; times are epoch seconds,
epoch milliseconds or ISO 8601. Any key we do not know is kept as an attribute.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from carewatch.kids.tracking.model import Fix

from . import fields
from .messages import Decoded, ProtocolError

KMH_PER_KNOT = 1.852
KMH_PER_MS = 3.6
MAX_FIELDS = 100
MAX_FIXES = 1000  # a JSON batch of buffered fixes
MAX_ID = 64

# OsmAnd `alarm` values (Traccar names and ours) -> our alarm names.
ALARMS = {
    "sos": "sos",
    "fall": "fall",
    "falldown": "fall",
    "fall_down": "fall",
    "removing": "removed",
    "removed": "removed",
    "lowbattery": "low_battery",
    "low_battery": "low_battery",
    "poweroff": "power_off",
    "power_off": "power_off",
    "lowpower": "low_power",
    "low_power": "low_power",
    "geofenceenter": "geofence_enter",
    "geofence_enter": "geofence_enter",
    "geofenceexit": "geofence_exit",
    "geofence_exit": "geofence_exit",
}
KNOWN_KEYS = frozenset(
    [
        "id",
        "deviceid",
        "lat",
        "lon",
        "location",
        "timestamp",
        "speed",
        "bearing",
        "heading",
        "altitude",
        "accuracy",
        "batt",
        "charge",
        "alarm",
        "valid",
    ]
)


def decode(
    method: str, uri: str, body: bytes, content_type: str | None, received: datetime
) -> Decoded:
    """One OsmAnd request: `method` GET or POST, `uri` the path with its query string."""
    if method.upper() not in {"GET", "POST"}:
        raise ProtocolError("OsmAnd devices send GET or POST requests.")
    # not urlsplit: it refuses some paths ("//]"), and only the query matters here
    params = _query(uri.partition("?")[2].partition("#")[0])
    if body.strip():
        if _is_json(body, content_type):
            return _decode_json(body, params, received)
        params.update(_query(body.decode("utf-8", "replace")))
    return _decode_params(params, received)


def _is_json(body: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    return body.lstrip()[:1] in (b"{", b"[")


def _query(text: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError as error:
        raise ProtocolError(f"The OsmAnd request has too many fields ({error}).") from None
    return {key.lower(): value for key, value in pairs}


def _device_id(value: Any) -> str:
    device_id = value.strip() if isinstance(value, str) else ""
    if not device_id or len(device_id) > MAX_ID or not device_id.isprintable():
        raise ProtocolError("An OsmAnd request names its device with id= (or deviceid=).")
    return device_id


def _decode_params(params: dict[str, str], received: datetime) -> Decoded:
    device_id = _device_id(params.get("id") or params.get("deviceid"))
    lat, lon = params.get("lat"), params.get("lon")
    if lat is None and "location" in params:
        lat, _, lon = params["location"].partition(",")
    attributes: dict[str, Any] = {}
    when = _time(params.get("timestamp"), received, attributes)
    valid = fields.flag(params.get("valid", True)) is not False
    alarms = _alarms(params.get("alarm"), attributes)
    charge = fields.flag(params.get("charge"))
    if charge is not None:
        attributes["charging"] = charge
    for key, value in params.items():
        if key not in KNOWN_KEYS:
            attributes[fields.text(key, 40)] = fields.text(value)
    speed = fields.number(params.get("speed"))
    course = fields.number(params.get("bearing", params.get("heading")))
    fix = _fix(
        device_id,
        when,
        fields.coordinates(lat, lon) if valid else None,
        accuracy_m=fields.number(params.get("accuracy")),
        speed_kmh=None if speed is None or speed < 0 else fields.scaled(speed, KMH_PER_KNOT),
        course=course,
        altitude=fields.number(params.get("altitude")),
        battery=fields.percent(params.get("batt"), fraction=False),
        alarms=alarms,
        attributes=attributes,
    )
    return Decoded(device_id, "location", (fix,), None, {"form": "query"})


def _decode_json(body: bytes, params: dict[str, str], received: datetime) -> Decoded:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise ProtocolError("The OsmAnd JSON body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ProtocolError("The OsmAnd JSON body is an object with device_id and location.")
    device_id = _device_id(data.get("device_id") or params.get("id") or params.get("deviceid"))
    locations = data.get("location")
    if isinstance(locations, dict):
        locations = [locations]
    if not isinstance(locations, list) or not locations:
        raise ProtocolError("The OsmAnd JSON body has no location.")
    if len(locations) > MAX_FIXES:
        raise ProtocolError(f"An OsmAnd batch holds at most {MAX_FIXES} locations.")
    alarm = data.get("alarm")  # some clients put it beside the location
    fixes = tuple(_json_fix(device_id, item, alarm, received) for item in locations)
    return Decoded(device_id, "location", fixes, None, {"form": "json"})


def _json_fix(device_id: str, location: Any, alarm: Any, received: datetime) -> Fix:
    if not isinstance(location, dict):
        raise ProtocolError("Each OsmAnd JSON location is an object.")
    coords = _mapping(location.get("coords"))
    battery = _mapping(location.get("battery"))
    attributes: dict[str, Any] = {}
    when = _time(location.get("timestamp"), received, attributes)
    charging = fields.flag(battery.get("is_charging"))
    if charging is not None:
        attributes["charging"] = charging
    for key in ("is_moving", "odometer", "event", "uuid"):
        if isinstance(location.get(key), str | int | float | bool):
            attributes[key] = location[key]
    activity = _mapping(location.get("activity")).get("type")
    if isinstance(activity, str):
        attributes["activity"] = fields.text(activity)
    speed = fields.number(coords.get("speed"))
    return _fix(
        device_id,
        when,
        fields.coordinates(coords.get("latitude"), coords.get("longitude")),
        accuracy_m=fields.number(coords.get("accuracy")),
        speed_kmh=None if speed is None or speed < 0 else fields.scaled(speed, KMH_PER_MS),
        course=_course(coords.get("heading")),
        altitude=fields.number(coords.get("altitude")),
        battery=fields.percent(battery.get("level"), fraction=True),
        alarms=_alarms(location.get("alarm", alarm), attributes),
        attributes=attributes,
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _course(value: Any) -> float | None:
    course = fields.number(value)
    return course if course is not None and course >= 0 else None  # -1: unknown


def _time(value: Any, received: datetime, attributes: dict[str, Any]) -> datetime:
    if value is None:
        return received
    when = fields.timestamp(value)
    if when is None:
        attributes["time_unreadable"] = fields.text(value, 64)
        return received
    return when


def _alarms(value: Any, attributes: dict[str, Any]) -> frozenset[str]:
    if not isinstance(value, str) or not value:
        return frozenset()
    names = {ALARMS.get(name.strip().lower()) for name in value.split(",")}
    if None in names:
        attributes["alarm"] = fields.text(value)
    return frozenset(name for name in names if name is not None)


def _fix(
    device_id: str,
    when: datetime,
    position: tuple[float, float] | None,
    *,
    accuracy_m: float | None,
    speed_kmh: float | None,
    course: float | None,
    altitude: float | None,
    battery: int | None,
    alarms: frozenset[str],
    attributes: dict[str, Any],
) -> Fix:
    lat, lon = position or (0.0, 0.0)
    return Fix(
        device_id,
        when,
        lat,
        lon,
        accuracy_m if accuracy_m is None or accuracy_m >= 0 else None,
        speed_kmh,
        course,
        altitude,
        battery,
        position is not None,
        alarms,
        attributes,
    )
