"""`carewatch gateway decode`: what CareWatch understands of a device's messages.

Support staff paste a device's frames; a conformance suite of real devices' messages
is replayed through it. It reads JSON lines, one message each::

    {"protocol": "watch", "input": "[3G*4700186508*000B*LK,0,10,100]"}
    {"protocol": "watch", "input_hex": "5b33472a..."}
    {"protocol": "osmand", "method": "GET", "uri": "/?id=1&lat=52.5&lon=13.4"}
    {"protocol": "osmand", "method": "POST", "uri": "/", "content_type": "application/json",
     "input": "{\\"device_id\\": ...}"}
    {"protocol": "owntracks", "input": "{\\"_type\\": \\"location\\", ...}",
     "device_id": "alice"}

Optional keys: `device_id` (OwnTracks names the device outside its JSON; default
"unknown") and `received` (ISO 8601: the time of receipt, which messages without a
time of their own take; default now). A watch input may hold several frames.

It writes one JSON line per input line::

    {"messages": [{"device_id", "time", "valid", "lat", "lon", "speed_kmh", "course",
                   "altitude", "accuracy_m", "battery", "alarms": [...],
                   "attributes": {...}}],
     "reply": "[3G*4700186508*0002*LK]" | null, "error": null | "what was wrong"}

`time` is ISO 8601 UTC; `valid` is true only for a real position (not a `V` fix, not
0,0); `attributes` holds the message's type (`type`), the protocol's details
(`manufacturer`, ...) and the fix's own (cells, Wi-Fi, steps, ...). A message with
no fix (INIT, TKQ, CONFIG, ...) gives `"messages": []` and its reply. It never
touches the database and needs no Django settings.
"""

from __future__ import annotations

import binascii
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from carewatch.kids.tracking.model import Fix

from . import fields, osmand, owntracks, watch
from .messages import Decoded, ProtocolError

PROTOCOLS = ("watch", "osmand", "owntracks")


class InputError(ValueError):
    """The line itself is wrong (not JSON, unknown protocol, bad hex)."""


def run(lines: Iterable[str], out: TextIO, now: datetime | None = None) -> int:
    """Decode every non-blank line to `out`; returns how many lines had an error."""
    errors = 0
    for line in lines:
        if not line.strip():
            continue
        result = decode_line(line, now or datetime.now(UTC))
        errors += result["error"] is not None
        out.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
        out.flush()
    return errors


def decode_line(line: str, now: datetime) -> dict[str, Any]:
    try:
        request = _request(line)
        decoded = _decode(request, _received(request, now))
    except (InputError, ProtocolError) as error:
        return {"messages": [], "reply": None, "error": str(error)}
    messages = [_message(fix, item) for item in decoded for fix in item.fixes]
    replies = [item.reply for item in decoded if item.reply is not None]
    reply = b"".join(replies).decode("latin-1") if replies else None
    return {"messages": messages, "reply": reply, "error": None}


def _request(line: str) -> dict[str, Any]:
    try:
        request = json.loads(line)
    except (ValueError, RecursionError):
        raise InputError("The line is not JSON: give one JSON object per line.") from None
    if not isinstance(request, dict):
        raise InputError("Each line is a JSON object with protocol and input.")
    if request.get("protocol") not in PROTOCOLS:
        raise InputError(f"protocol must be one of {', '.join(PROTOCOLS)}.")
    return request


def _received(request: dict[str, Any], now: datetime) -> datetime:
    if request.get("received") is None:
        return now
    received = fields.timestamp(request["received"])
    if received is None:
        raise InputError("received must be an ISO 8601 time or epoch seconds.")
    return received


def _payload(request: dict[str, Any]) -> bytes:
    if request.get("input_hex") is not None:
        value = request["input_hex"]
        try:
            return binascii.unhexlify("".join(str(value).split()))
        except (binascii.Error, ValueError):
            raise InputError("input_hex must be an even number of hex digits.") from None
    value = request.get("input", "")
    if not isinstance(value, str):
        raise InputError("input must be text (or give input_hex).")
    return value.encode("utf-8")


def _decode(request: dict[str, Any], received: datetime) -> list[Decoded]:
    payload = _payload(request)
    protocol = request["protocol"]
    if protocol == "watch":
        return _decode_watch(payload, received)
    if protocol == "osmand":
        method, uri = _text(request, "method", "GET"), _text(request, "uri", "/")
        content_type = request.get("content_type")
        if content_type is not None and not isinstance(content_type, str):
            raise InputError("content_type must be text.")
        return [osmand.decode(method, uri, payload, content_type, received)]
    return [owntracks.decode(payload, _text(request, "device_id", "unknown"), received)]


def _decode_watch(payload: bytes, received: datetime) -> list[Decoded]:
    framer = watch.WatchFramer()
    frames = framer.feed(payload)
    if framer.buffered or not frames:
        raise ProtocolError("The input does not end with a complete [...] frame.")
    return [watch.decode(frame, received) for frame in frames]


def _text(request: dict[str, Any], key: str, default: str) -> str:
    value = request.get(key, default)
    if not isinstance(value, str):
        raise InputError(f"{key} must be text.")
    return value


def _message(fix: Fix, decoded: Decoded) -> dict[str, Any]:
    return {
        "device_id": fix.device_id,
        "time": _iso(fix.fix_time),
        "valid": fix.located,
        "lat": fix.lat,
        "lon": fix.lon,
        "speed_kmh": fix.speed_kmh,
        "course": fix.course,
        "altitude": fix.altitude,
        "accuracy_m": fix.accuracy_m,
        "battery": fix.battery,
        "alarms": sorted(fix.alarms),
        "attributes": {"type": decoded.kind, **decoded.attributes, **fix.attributes},
    }


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")
