"""The OwnTracks phone app's JSON, from MQTT (`owntracks/<user>/<device>[/event]`) or
an HTTP POST (Basic auth names the device). The caller passes the device id.

`location` messages become fixes (`vel` is km/h, `acc` metres, `batt` percent);
`transition` messages (the app's own enter/leave of its regions) become fixes with
the event kept as attributes: our place rules stay the source of truth for alerts,
so a transition raises no alarm. Other types (waypoints, lwt, status, card, ...) are
recognised and carry no fix. An empty body (the app's "ping" over HTTP) is ignored.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from carewatch.kids.tracking.model import Fix

from . import fields
from .messages import Decoded, ProtocolError

MAX_ID = 64
MAX_BATCH = 1000
# Location keys kept as attributes: tracker id, connection, trigger, vertical accuracy,
# the regions the app thinks it is in, battery state (0 unknown, 1 unplugged, 2
# charging, 3 full), Wi-Fi.
_LOCATION_ATTRIBUTES = ("tid", "conn", "t", "vac", "inregions", "bs", "SSID", "BSSID", "m")
_TRANSITION_ATTRIBUTES = ("tid", "rid", "wtst", "t")


def decode(body: bytes, device_id: str, received: datetime) -> Decoded:
    if not device_id or len(device_id) > MAX_ID or not device_id.isprintable():
        raise ProtocolError("An OwnTracks message needs the device id of its topic or login.")
    if not body.strip():
        return Decoded(device_id, "empty")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise ProtocolError("An OwnTracks message is a JSON object.") from None
    if isinstance(data, list):  # messages queued by the app and sent together
        if len(data) > MAX_BATCH:
            raise ProtocolError(f"An OwnTracks batch holds at most {MAX_BATCH} messages.")
        decoded = [_message(item, device_id, received) for item in data]
        fixes = tuple(fix for _, found in decoded for fix in found)
        return Decoded(device_id, "batch", fixes, None, {"types": [kind for kind, _ in decoded]})
    kind, fixes = _message(data, device_id, received)
    return Decoded(device_id, kind, fixes)


def _message(data: Any, device_id: str, received: datetime) -> tuple[str, tuple[Fix, ...]]:
    if not isinstance(data, dict) or not isinstance(data.get("_type"), str) or not data["_type"]:
        raise ProtocolError('An OwnTracks message is a JSON object with a "_type".')
    kind = fields.text(data["_type"], 40)
    if kind == "location":
        return kind, (_fix(data, device_id, received, _LOCATION_ATTRIBUTES),)
    if kind == "transition":
        event, place = data.get("event"), data.get("desc")
        extra = {
            "transition": fields.text(event, 20) if isinstance(event, str) else None,
            "place": fields.text(place) if isinstance(place, str) else None,
        }
        return kind, (_fix(data, device_id, received, _TRANSITION_ATTRIBUTES, extra),)
    return kind, ()


def _fix(
    data: dict[str, Any],
    device_id: str,
    received: datetime,
    keep: tuple[str, ...],
    extra: dict[str, Any] | None = None,
) -> Fix:
    attributes = {key: value for key, value in (extra or {}).items() if value is not None}
    when = fields.timestamp(data["tst"]) if "tst" in data else received
    if when is None:
        attributes["time_unreadable"] = fields.text(data["tst"], 64)
        when = received
    for key in keep:
        value = data.get(key)
        if isinstance(value, str | int | float | bool):
            attributes[key] = fields.text(value) if isinstance(value, str) else value
        elif key == "inregions" and isinstance(value, list):
            attributes[key] = [fields.text(item) for item in value[:20]]
    position = fields.coordinates(data.get("lat"), data.get("lon"))
    lat, lon = position or (0.0, 0.0)
    speed, course = fields.number(data.get("vel")), fields.number(data.get("cog"))
    return Fix(
        device_id,
        when,
        lat,
        lon,
        accuracy_m=_positive(data.get("acc")),
        speed_kmh=None if speed is None or speed < 0 else speed,
        course=None if course is None or course < 0 else course,
        altitude=fields.number(data.get("alt")),
        battery=fields.percent(data.get("batt"), fraction=False),
        valid=position is not None,
        attributes=attributes,
    )


def _positive(value: Any) -> float | None:
    number = fields.number(value)
    return number if number is not None and number >= 0 else None
