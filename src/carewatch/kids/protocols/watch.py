"""The kids' smartwatch "watch" protocol (SeTracker-style 3G/4G watches, TCP).

A frame is `[MF*ID*LEN*CONTENT]` (ZJ watches add a 4-hex index: `[MF*ID*IDX*LEN*CONTENT]`);
the type is the content before the first comma. `WatchFramer` cuts frames out of a TCP
stream and hands them over as they came on the wire (escapes still in place); `decode`
turns one frame into a `Decoded` with its reply; `encode_command` frames a downlink.

Escapes: binary payloads and free text (Wi-Fi names) carry `}` followed by the byte
0x01..0x05 for `}` `[` `]` `,` `*`. They are undone field by field after splitting, so an
escaped comma in a Wi-Fi name never shifts the fields after it. The ASCII spelling
(`}01`..`}05`, as written in some protocol documents) is accepted too: a real `}` is
always escaped, so it cannot be mistaken for data.

The common UD and LK frames take a lean path: this decoder must keep up with thousands
of watches on one core (see bench/gateway_bench.py).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from carewatch.kids.tracking.model import Fix

from .messages import Decoded, ProtocolError

MAX_FRAME = 64 * 1024
# Bytes tolerated between frames: some watches end each frame with a newline.
_BLANKS = b" \t\r\n\x00"
_MAX_HEADER_FIELD = 32

# Status bits of UD/AL frames (DESIGN.md). Every set bit raises its alarm: a frame
# with low battery and SOS must report both.
STATUS_ALARMS: tuple[tuple[int, str], ...] = (
    (1 << 0, "low_battery"),
    (1 << 17, "low_battery"),
    (1 << 1, "geofence_exit"),
    (1 << 18, "geofence_exit"),
    (1 << 2, "geofence_enter"),
    (1 << 19, "geofence_enter"),
    (1 << 16, "sos"),
    (1 << 20, "removed"),
    (1 << 21, "fall"),
    (1 << 22, "fall"),
)
_ALARM_MASK = 0
for _bit, _ in STATUS_ALARMS:
    _ALARM_MASK |= _bit
_NO_ALARMS: frozenset[str] = frozenset()

_ESCAPE = re.compile(r"\}([\x01-\x05]|0[1-5])")
_ESCAPE_BYTES = re.compile(rb"\}([\x01-\x05]|0[1-5])")
_UNESCAPED = "}[],*"


def _unescape_match(match: re.Match[str]) -> str:
    # the last character is 0x01..0x05 or "1".."5": both are 1..5 modulo 16
    return _UNESCAPED[ord(match.group(1)[-1]) % 16 - 1]


def _unescape_match_bytes(match: re.Match[bytes]) -> bytes:
    return _UNESCAPED[match.group(1)[-1] % 16 - 1].encode()


def unescape(text: str) -> str:
    """Undo the `}01`..`}05` escapes of one field (text decoded as latin-1)."""
    return _ESCAPE.sub(_unescape_match, text) if "}" in text else text


def unescape_bytes(data: bytes) -> bytes:
    """Undo the escapes of a binary payload (a voice message, an image)."""
    return _ESCAPE_BYTES.sub(_unescape_match_bytes, data) if b"}" in data else data


class WatchFramer:
    """Cuts complete `[...]` frames out of a TCP byte stream, one framer per connection.

    A frame may arrive in many segments and a segment may hold many frames. A frame
    cut short by a new `[` is dropped (counted in `discarded`) and the new one kept.
    Blank bytes between frames are skipped; anything else outside a frame, or a frame
    longer than `max_frame` bytes, raises ProtocolError: the gateway then cuts the
    connection, since the stream can no longer be trusted.
    """

    __slots__ = ("_pending", "_scanned", "discarded", "max_frame")

    def __init__(self, max_frame: int = MAX_FRAME) -> None:
        self._pending: bytearray | None = None  # an unfinished frame, from its `[`
        self._scanned = 0  # bytes of _pending already searched for `]`
        self.discarded = 0
        self.max_frame = max_frame

    @property
    def buffered(self) -> int:
        """Bytes held for a frame not complete yet."""
        return 0 if self._pending is None else len(self._pending)

    def feed(self, data: bytes) -> list[bytes]:
        pending = self._pending
        buf: bytes | bytearray
        if pending is not None:
            pending += data
            buf, searched = pending, self._scanned
        else:
            buf, searched = data, 0
        frames: list[bytes] = []
        pos, size = 0, len(buf)
        while pos < size:
            start = buf.find(b"[", pos)
            if start != pos:
                _check_gap(buf[pos:] if start < 0 else buf[pos:start])
                if start < 0:
                    pos = size
                    break
            end = buf.find(b"]", max(start + 1, searched))
            searched = 0
            if end < 0:
                self._check_size(size - start)
                pos = start
                break
            restart = buf.rfind(b"[", start + 1, end)
            if restart >= 0:  # a frame cut short: keep the one that follows
                self.discarded += 1
                start = restart
            self._check_size(end + 1 - start)
            frames.append(bytes(buf[start : end + 1]))
            pos = end + 1
        self._keep(buf, pos, size)
        return frames

    def _keep(self, buf: bytes | bytearray, pos: int, size: int) -> None:
        if pos >= size:
            self._pending, self._scanned = None, 0
            return
        if pos or buf is not self._pending:
            self._pending = bytearray(buf[pos:])
        self._scanned = size - pos

    def _check_size(self, length: int) -> None:
        if length > self.max_frame:
            self._pending, self._scanned = None, 0
            raise ProtocolError(
                f"A watch frame is over {self.max_frame} bytes: not a watch, or a broken one."
            )


def _check_gap(gap: bytes | bytearray) -> None:
    if gap.strip(_BLANKS):
        raise ProtocolError("Bytes outside [...] frames: this is not the watch protocol.")


_AFTER_ALARM_KIND = frozenset(b",_]")


def looks_like_alarm(frame: bytes) -> bool:
    """A cheap look, before decoding, for an AL frame (the watch's SOS, fall and removed
    alarms): the gateway handles these first when it is busy. A false positive costs
    only the priority; a position frame with alarm bits set is found by `decode`."""
    at = frame.find(b"*AL")
    while at >= 0:
        if frame[at + 3 : at + 4] and frame[at + 3] in _AFTER_ALARM_KIND:
            return True
        at = frame.find(b"*AL", at + 3)
    return False


def decode(frame: bytes, received: datetime) -> Decoded:
    """Decode one frame as `WatchFramer.feed` returns it (`[` to `]`, escapes in place).

    `received` (aware, UTC) stands for the time of messages that carry none (LK,
    health reports) and of positions whose date is unreadable.
    """
    if len(frame) < 2 or frame[0] != 0x5B or frame[-1] != 0x5D:
        raise ProtocolError("A watch frame starts with [ and ends with ].")
    parts = frame[1:-1].split(b"*", 3)
    if len(parts) != 4:
        raise ProtocolError("A watch frame has a header MF*ID*LEN* before its content.")
    maker, ident, length, content = parts
    index: bytes | None = None
    if content[4:5] == b"*" and _is_hex(content[:4]):  # the ZJ variant: MF*ID*IDX*LEN*
        index, length, content = length, content[:4], content[5:]
    _check_header(maker, ident, index)
    comma = content.find(b",")
    head = content if comma < 0 else content[:comma]
    if not head:
        raise ProtocolError("A watch frame has no message type.")
    kind = head.decode("latin-1")
    device_id = ident.decode("ascii")
    attributes: dict[str, Any] = {"manufacturer": maker.decode("ascii")}
    if index is not None:
        attributes["index"] = index.decode("ascii")
    if not _length_matches(length, len(content)):
        attributes["length_mismatch"] = True
    body = b"" if comma < 0 else content[comma + 1 :]
    upper = kind.upper()
    handler = _HANDLERS.get(upper) or _prefix_handler(upper)
    fixes, answer, extra = handler(device_id, kind, body, received)
    if extra:
        attributes.update(extra)
    reply = None if answer is None else _frame(maker, ident, index, answer)
    return Decoded(device_id, kind, fixes, reply, attributes)


def _is_hex(value: bytes) -> bool:
    return len(value) == 4 and all(c in _HEX for c in value)


_HEX = frozenset(b"0123456789abcdefABCDEF")


def _check_header(maker: bytes, ident: bytes, index: bytes | None) -> None:
    if not (0 < len(maker) <= 4 and maker.isalnum()):
        raise ProtocolError("A watch frame starts with a manufacturer code such as 3G or SG.")
    if not (0 < len(ident) <= _MAX_HEADER_FIELD and ident.isalnum()):
        raise ProtocolError("A watch frame's device id must be letters and digits.")
    if index is not None and not (0 < len(index) <= _MAX_HEADER_FIELD and index.isalnum()):
        raise ProtocolError("A ZJ watch frame's index must be letters and digits.")


def _length_matches(field: bytes, actual: int) -> bool:
    try:
        return int(field, 16) == actual
    except ValueError:
        return False


def _frame(maker: bytes, ident: bytes, index: bytes | None, content: bytes) -> bytes:
    if index is None:
        return b"[%s*%s*%04X*%s]" % (maker, ident, len(content), content)
    return b"[%s*%s*%s*%04X*%s]" % (maker, ident, index, len(content), content)


# ---- message types -------------------------------------------------------------------

Handled = tuple[tuple[Fix, ...], bytes | None, dict[str, Any] | None]
Handler = Callable[[str, str, bytes, datetime], Handled]


def _status_fix(device_id: str, received: datetime, attributes: dict[str, Any]) -> Fix:
    """A report without a position: a heartbeat, battery, health readings."""
    battery = attributes.pop("battery", None)
    return Fix(device_id, received, 0.0, 0.0, battery=battery, valid=False, attributes=attributes)


def _link(device_id: str, kind: str, body: bytes, received: datetime) -> Handled:
    """LK: the keep-alive, `LK[,steps,tumbles,battery%]`. Always a heartbeat fix."""
    attributes: dict[str, Any] = {}
    if body:
        values = body.split(b",")
        values += [b""] * (3 - len(values))
        steps, tumbles, battery = _int(values[0]), _int(values[1]), _battery(values[2])
        if steps is not None:
            attributes["steps"] = steps
        if tumbles is not None:
            attributes["tumbles"] = tumbles
        if battery is not None:
            attributes["battery"] = battery
    return (_status_fix(device_id, received, attributes),), b"LK", None


def _position_no_reply(device_id: str, kind: str, body: bytes, received: datetime) -> Handled:
    return (_position(device_id, body, received),), None, None


def _alarm(device_id: str, kind: str, body: bytes, received: datetime) -> Handled:
    fix = _position(device_id, body, received)
    # An AL frame whose status names no alarm is still marked, for support staff.
    return (fix,), b"AL", {"alarm_frame": True}


def _position(device_id: str, body: bytes, received: datetime) -> Fix:
    """UD/UD2/UD3/UD_LTE/UD_WCDMA/AL/AL_LTE/WT body:

    `ddmmyy,hhmmss,A|V,lat,N|S,lon,E|W,speed_kmh,course,alt,sats,rssi,battery%,steps,
    tumbles,status_hex,cells...,wifi...`. Every field is read on its own, so a broken
    field costs only itself: the status bits (the alarms) and the battery survive a
    `V` fix, a 0,0 position or a garbled coordinate.
    """
    f = body.decode("latin-1").split(",")
    count = len(f)
    if count < 16:
        f += [""] * (16 - count)
    fix_time = _time(f[0], f[1])
    attributes: dict[str, Any] = {}
    if fix_time is None:
        fix_time = received
        attributes["time_unreadable"] = True
    lat, lon = _coordinate(f[3], f[4], "S", 90.0), _coordinate(f[5], f[6], "W", 180.0)
    valid = f[2] == "A" and lat is not None and lon is not None and (lat != 0.0 or lon != 0.0)
    status = _hex(f[15])
    alarms = _alarms(status) if status else _NO_ALARMS
    for key, position in _INT_ATTRIBUTES:
        value = _int(f[position])
        if value is not None:
            attributes[key] = value
    if status is not None:
        attributes["status"] = f[15]
    if count > 16:
        _network(f, attributes)
    return Fix(
        device_id,
        fix_time,
        lat or 0.0,
        lon or 0.0,
        speed_kmh=_number(f[7]),
        course=_number(f[8]),
        altitude=_number(f[9]),
        battery=_battery(f[12]),
        valid=valid,
        alarms=alarms,
        attributes=attributes,
    )


_MAX_NETWORK = 32  # towers or access points in one report; more is not a real watch
_INT_ATTRIBUTES = (("satellites", 10), ("rssi", 11), ("steps", 13), ("tumbles", 14))


def _alarms(status: int) -> frozenset[str]:
    if not status & _ALARM_MASK:
        return _NO_ALARMS
    return frozenset(name for bit, name in STATUS_ALARMS if status & bit)


@functools.lru_cache(maxsize=4096)
def _time(date: str, clock: str) -> datetime | None:
    """Cached: thousands of watches report within the same seconds, and building the
    datetime was a fifth of decoding a position frame."""
    if len(date) != 6 or len(clock) != 6:
        return None
    try:
        return datetime(
            2000 + int(date[4:6]),
            int(date[2:4]),
            int(date[0:2]),
            int(clock[0:2]),
            int(clock[2:4]),
            int(clock[4:6]),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def _coordinate(text: str, hemisphere: str, negative: str, limit: float) -> float | None:
    value = _number(text)
    if value is None or not -limit <= value <= limit:
        return None
    return -abs(value) if hemisphere == negative else value


def _number(text: str | bytes) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _int(text: str | bytes) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return None
    return value if -(2**31) <= value < 2**31 else None


def _hex(text: str) -> int | None:
    if not 0 < len(text) <= 8:
        return None
    try:
        return int(text, 16)
    except ValueError:
        return None


def _battery(text: str | bytes) -> int | None:
    value = _int(text)
    return value if value is not None and 0 <= value <= 100 else None


def _network(f: list[str], attributes: dict[str, Any]) -> None:
    """Cell towers and Wi-Fi access points after the status field, kept as attributes:

    `cells, timing_advance, mcc, mnc, (lac, cid, rssi) * cells, wifis, (name, mac, rssi)
    * wifis`. A list that does not add up is kept raw instead, never fatal.
    """
    try:
        cells, at = int(f[16]), 18
        if not 0 <= cells <= _MAX_NETWORK:
            raise ValueError(cells)
        if cells:
            mcc, mnc = _int(f[at]), _int(f[at + 1])
            at += 2
            towers = []
            for _ in range(cells):
                lac, cid, rssi = f[at : at + 3]
                towers.append({"mcc": mcc, "mnc": mnc, "lac": int(lac), "cid": int(cid)})
                if rssi:
                    towers[-1]["rssi"] = int(rssi)
                at += 3
            attributes["cells"] = towers
        if at < len(f) and f[at]:
            wifis, at = int(f[at]), at + 1
            if not 0 <= wifis <= _MAX_NETWORK:
                raise ValueError(wifis)
            points = []
            for _ in range(wifis):
                name, mac, rssi = f[at : at + 3]
                points.append({"name": _text(unescape(name)), "mac": mac, "rssi": int(rssi)})
                at += 3
            if points:
                attributes["wifi"] = points
    except (ValueError, IndexError):
        attributes.pop("cells", None)
        attributes["network"] = unescape(",".join(f[16:]))


def _text(latin: str) -> str:
    """Free text (a Wi-Fi name) is UTF-8 on the wire; fields are split as latin-1."""
    return latin.encode("latin-1").decode("utf-8", "replace")


def _reply_with(answer: bytes) -> Handler:
    def handler(device_id: str, kind: str, body: bytes, received: datetime) -> Handled:
        extra = {"text": body.decode("latin-1")} if body else None
        return (), answer, extra

    return handler


def _echo(device_id: str, kind: str, body: bytes, received: datetime) -> Handled:
    """TKQ/TKQ2: the watch asks for waiting voice messages; the answer is the type."""
    return (), kind.encode("latin-1"), None


def _config(device_id: str, kind: str, body: bytes, received: datetime) -> Handled:
    """CONFIG,TY:g36a,UL:180,...: the watch's settings; answered CONFIG,1."""
    settings: dict[str, str] = {}
    for item in body.decode("latin-1").split(","):
        key, _, value = item.partition(":")
        if key:
            settings[unescape(key)] = unescape(value)
    return (), b"CONFIG,1", {"config": settings}


def _health(device_id: str, kind: str, body: bytes, received: datetime) -> Handled:
    """Heart rate, blood pressure, blood oxygen and temperature reports: no position."""
    values = [_number(v) for v in body.split(b",")] if body else []
    readings: dict[str, Any] = {}
    upper = kind.upper()
    if upper in {"BLOOD", "BPHRT"} and len(values) >= 2:
        readings["blood_pressure_high"], readings["blood_pressure_low"] = values[0], values[1]
        values = values[2:]
    if upper == "BTEMP2":  # btemp2,<measured 0/1>,<degrees>
        if len(values) >= 2 and values[0]:
            readings["temperature_c"] = values[1]
    elif upper == "TEMP":
        if values:
            readings["temperature_c"] = values[-1]
    elif upper == "OXYGEN":
        if values:
            readings["blood_oxygen"] = values[-1]
    elif values:
        readings["heart_rate"] = values[0]
    readings = {key: value for key, value in readings.items() if value is not None}
    if not readings:  # "measuring started" or a failed measurement: nothing to keep
        return (), None, None
    return (_status_fix(device_id, received, readings),), None, None


def _voice(device_id: str, kind: str, body: bytes, received: datetime) -> Handled:
    """TK,<amr>: a voice message from the watch (TK,1 / TK,0 answer one of ours)."""
    if len(body) <= 1:
        return (), None, {"command_ack": True, "result": body.decode("latin-1")}
    return (), b"TK,1", {"media": "voice", "media_bytes": len(unescape_bytes(body))}


def _voice_part(device_id: str, kind: str, body: bytes, received: datetime) -> Handled:
    """JXTK,<?>,<?>,part,parts,<amr>: a voice message in parts, each answered JXTKR,1."""
    fields = body.split(b",", 4)
    extra: dict[str, Any] = {"media": "voice"}
    if len(fields) == 5:
        extra["part"], extra["parts"] = _int(fields[2]), _int(fields[3])
        extra["media_bytes"] = len(unescape_bytes(fields[4]))
    return (), b"JXTKR,1", extra


def _image(device_id: str, kind: str, body: bytes, received: datetime) -> Handled:
    """img,<camera?>,<yymmddhhmmss>,<jpeg>: a photo from the watch's camera."""
    fields = body.split(b",", 2)
    payload = fields[-1] if len(fields) == 3 else b""
    return (), None, {"media": "image", "media_bytes": len(unescape_bytes(payload))}


def _acknowledged(device_id: str, kind: str, body: bytes, received: datetime) -> Handled:
    """The watch echoes a command it was sent: the gateway marks the command done."""
    extra: dict[str, Any] = {"command_ack": True}
    if body:
        extra["text"] = unescape(body.decode("latin-1"))
    return (), None, extra


def _unknown(device_id: str, kind: str, body: bytes, received: datetime) -> Handled:
    return (), None, {"unknown_type": True}


HEALTH_TYPES = frozenset(
    {"HEART", "PULSE", "HRTSTART", "BLOOD", "BPHRT", "OXYGEN", "BTEMP2", "TEMP"}
)
# Commands the server sends (encode_command); a watch answers with the same type.
COMMAND_TYPES = frozenset(
    {
        "CR",
        "UPLOAD",
        "SOS",
        "SOS1",
        "SOS2",
        "SOS3",
        "SILENCETIME",
        "LZ",
        "FIND",
        "POWEROFF",
        "RESET",
        "FACTORY",
        "MONITOR",
        "CENTER",
        "PHB",
        "REMIND",
    }
)
_HANDLERS: dict[str, Handler] = {
    "LK": _link,
    "UD": _position_no_reply,
    "UD2": _position_no_reply,
    "UD3": _position_no_reply,
    "UD_LTE": _position_no_reply,
    "UD_WCDMA": _position_no_reply,
    "WT": _position_no_reply,
    "AL": _alarm,
    "AL_LTE": _alarm,
    "AL_WCDMA": _alarm,
    "INIT": _reply_with(b"INIT,1"),
    "TKQ": _echo,
    "TKQ2": _echo,
    "CONFIG": _config,
    "TK": _voice,
    "JXTK": _voice_part,
    "IMG": _image,
    **{name: _health for name in HEALTH_TYPES},
    **{name: _acknowledged for name in COMMAND_TYPES},
}


def _prefix_handler(kind: str) -> Handler:
    """Newer radios add suffixes (UD_5G, AL_NB...): the prefix decides."""
    if kind.startswith(("UD", "WT")):
        return _position_no_reply
    if kind.startswith("AL"):
        return _alarm
    return _unknown


# ---- downlink -------------------------------------------------------------------------

_COMMAND_FORBIDDEN = frozenset("[]")


def encode_command(
    manufacturer: str, device_id: str, text: str, *, index: str | None = None
) -> bytes:
    """Frame a command for a watch: `encode_command("3G", "4700186508", "CR")`.

    `manufacturer` is the one the watch uses (Decoded.attributes["manufacturer"]);
    ZJ watches get an index (default 0001, as they expect; pass the one they use).
    Build `text` with the helpers below; ValueError for anything unsendable.
    """
    maker, ident = manufacturer.encode("ascii"), device_id.encode("ascii")
    if index is None and manufacturer.upper() == "ZJ":
        index = "0001"
    marker = None if index is None else index.encode("ascii")
    _check_header(maker, ident, marker)
    if not text or _COMMAND_FORBIDDEN.intersection(text) or not text.isprintable():
        raise ValueError("A watch command is printable text without [ or ].")
    return _frame(maker, ident, marker, text.encode("utf-8"))


def locate_now() -> str:
    return "CR"


def upload_interval(seconds: int) -> str:
    if not 10 <= seconds <= 86_400:
        raise ValueError("The reporting interval must be between 10 seconds and a day.")
    return f"UPLOAD,{seconds}"


_PHONE = re.compile(r"\+?[0-9]{3,20}")


def sos_number(slot: int, phone: str) -> str:
    """SOS1..SOS3: the numbers the watch calls when its SOS button is held."""
    if slot not in (1, 2, 3):
        raise ValueError("A watch has SOS numbers 1, 2 and 3.")
    if phone and not _PHONE.fullmatch(phone):
        raise ValueError("An SOS number is digits, with an optional + in front.")
    return f"SOS{slot},{phone}"


_SPAN = re.compile(r"([01]?[0-9]|2[0-3]):[0-5][0-9]-([01]?[0-9]|2[0-3]):[0-5][0-9]")


def silence_time(spans: list[str]) -> str:
    """Up to four `HH:MM-HH:MM` school-time spans; the watch is silent in them."""
    if len(spans) > 4 or not all(_SPAN.fullmatch(span) for span in spans):
        raise ValueError("Silence times are up to four spans written like 08:00-12:30.")
    return "SILENCETIME," + ",".join([*spans, *["00:00-00:00"] * (4 - len(spans))])


def language_timezone(language: int, utc_offset_hours: float) -> str:
    """LZ,language,zone: the watch's language code (its manual lists them) and UTC offset."""
    if not 0 <= language <= 99 or not -12 <= utc_offset_hours <= 14:
        raise ValueError("The language is a code 0-99 and the time zone -12 to +14 hours.")
    return f"LZ,{language},{utc_offset_hours:g}"


def find_watch() -> str:
    return "FIND"


def power_off() -> str:
    return "POWEROFF"


def reset() -> str:
    return "RESET"
