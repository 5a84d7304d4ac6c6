"""The values the tracking core reads and writes: fixes, places, events, device state.

Everything here is plain data. `DeviceState` is the only mutable class: the rules
work on a private copy of it and hand back the new one; it travels to and from
the database as one JSON dict (`to_json` / `from_json`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from enum import StrEnum
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from .frozen import quick_init

# Alarm names a gateway puts in `Fix.alarms`. Other names are kept in history only.
ALARM_SOS = "sos"
ALARM_FALL = "fall"
ALARM_REMOVED = "removed"
# Reported by some devices; the server-side battery threshold decides instead.
ALARM_LOW_BATTERY = "low_battery"


class EventKind(StrEnum):
    PLACE_ENTER = "place_enter"
    PLACE_EXIT = "place_exit"
    SOS = "sos"
    LOW_BATTERY = "low_battery"
    CRITICAL_BATTERY = "critical_battery"
    OFFLINE = "offline"
    BACK_ONLINE = "back_online"
    REMOVED = "removed"
    FALL = "fall"
    OVERSPEED = "overspeed"


class PlaceKind(StrEnum):
    HOME = "home"
    SCHOOL = "school"
    OTHER = "other"


class DeviceStatus(StrEnum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"


class Presence(StrEnum):
    INSIDE = "in"
    OUTSIDE = "out"


@quick_init  # built for every position, twice: see tracking/frozen.py
@dataclass(frozen=True, slots=True)
class Fix:
    """One report from a device, as decoded by a gateway.

    `fix_time` is the device's time of the fix (aware, UTC). `valid` is the
    device's own fix flag (a watch's `A`/`V`); a fix at 0,0 counts as invalid
    whatever it says. Invalid fixes still bring their battery and alarms.
    """

    device_id: str
    fix_time: datetime
    lat: float
    lon: float
    accuracy_m: float | None = None
    speed_kmh: float | None = None
    course: float | None = None
    altitude: float | None = None
    battery: int | None = None
    valid: bool = True
    alarms: frozenset[str] = frozenset()
    attributes: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.fix_time.tzinfo is None:
            raise ValueError("Fix.fix_time must be timezone-aware (UTC).")

    @property
    def located(self) -> bool:
        """True when this fix says where the child is (valid, not 0,0, in range)."""
        return (
            self.valid
            and (self.lat != 0.0 or self.lon != 0.0)
            and -90.0 <= self.lat <= 90.0
            and -180.0 <= self.lon <= 180.0
        )


@dataclass(frozen=True, slots=True)
class Circle:
    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True, slots=True)
class Polygon:
    """A polygon ring as (lat, lon) pairs; closing the ring is optional."""

    points: tuple[tuple[float, float], ...]

    def __post_init__(self) -> None:
        # lists from JSON become tuples, so that equal shapes hash equal
        points = tuple((float(lat), float(lon)) for lat, lon in self.points)
        object.__setattr__(self, "points", points)
        if len(points) < 3:
            raise ValueError("A polygon place needs at least three points.")


Shape = Circle | Polygon


@dataclass(frozen=True, slots=True)
class ActiveHours:
    """When a place's events matter, e.g. school days 8:00-15:00 in Europe/Berlin.

    Weekdays are 0 = Monday .. 6 = Sunday. An end before the start spans midnight
    (22:00-06:00); the weekday is the one the span starts on.
    """

    weekdays: frozenset[int]
    start: time
    end: time
    tz: str = "UTC"

    def __post_init__(self) -> None:
        ZoneInfo(self.tz)  # an unknown zone fails here, when the place is defined

    def contains(self, when: datetime) -> bool:
        local = when.astimezone(ZoneInfo(self.tz))
        clock = local.time().replace(tzinfo=None)
        if self.start <= self.end:
            return local.weekday() in self.weekdays and self.start <= clock < self.end
        if clock >= self.start:
            return local.weekday() in self.weekdays
        return clock < self.end and (local.weekday() - 1) % 7 in self.weekdays


@dataclass(frozen=True, slots=True)
class PlaceDef:
    id: int
    name: str
    kind: PlaceKind
    shape: Shape
    active_hours: ActiveHours | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """Something a guardian may be told about.

    `time` is the fix time for events a fix caused and the server time for
    offline / back online. `delayed` marks an alarm that reached us late
    (buffered by the device); it is still worth telling, but say when it happened.
    """

    device_id: str
    kind: EventKind
    time: datetime
    place_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    details: Mapping[str, Any] = field(default_factory=dict, hash=False)
    delayed: bool = False


class StoredFix(NamedTuple):
    """A fix to write to the position history.

    `late`: older than a fix already processed (it ran no rules). `located`:
    whether it is a real position (store it as the Position's `valid`).
    """

    fix: Fix
    late: bool
    located: bool


class PlaceTrack(NamedTuple):
    """What the rules know about one device and one place.

    `presence` is the confirmed state (None until the first confirmation, which
    is silent). `candidate` is the opposite state being confirmed: first seen at
    `since`, by `clear_count` consecutive clear fixes. `shape_hash` detects an edited
    place, which is then learnt again silently.
    """

    presence: Presence | None = None
    candidate: Presence | None = None
    since: datetime | None = None
    clear_count: int = 0
    shape_hash: int = 0

    @property
    def leaving(self) -> bool:
        """Confirmed inside, but a clear fix outside waits for its confirmation: a page
        must not say "at School" while the child may be 200 m away."""
        return self.presence == Presence.INSIDE and self.candidate == Presence.OUTSIDE


@dataclass(slots=True)
class DeviceState:
    """Everything the rules remember about one device between batches."""

    status: DeviceStatus = DeviceStatus.UNKNOWN
    last_seen: datetime | None = None  # server time of the last report of any kind
    offline_since: datetime | None = None
    last_fix_time: datetime | None = None  # newest fix time processed; older ones are late
    position_time: datetime | None = None  # the last located fix: where the child is
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    battery: int | None = None
    battery_alert: EventKind | None = None  # LOW/CRITICAL_BATTERY reached this discharge
    places: dict[int, PlaceTrack] = field(default_factory=dict)
    # alarm name -> the times of the alarms told lately (within the late-alarm age):
    # a device resending an old buffer must not make an old SOS ring twice
    recent_alarms: dict[str, tuple[datetime, ...]] = field(default_factory=dict)
    removed: bool = False  # the last report carried the "removed" alarm
    overspeeding: bool = False

    def copy(self) -> DeviceState:
        # PlaceTrack is immutable, so copying the dicts is enough.
        return DeviceState(
            self.status,
            self.last_seen,
            self.offline_since,
            self.last_fix_time,
            self.position_time,
            self.lat,
            self.lon,
            self.accuracy_m,
            self.battery,
            self.battery_alert,
            dict(self.places),
            dict(self.recent_alarms),
            self.removed,
            self.overspeeding,
        )

    def decisions(self) -> tuple[object, ...]:
        """What the rules have decided, as against where and when the device was last and
        how far a place change has got in its confirmation: a change here is saved with
        the batch that made it, so that a worker taking over never alerts twice. Losing
        the rest (a crash) only delays a confirmation: it starts again."""
        return (
            self.status,
            self.offline_since,
            self.battery_alert,
            [(place, track.presence, track.shape_hash) for place, track in self.places.items()],
            self.recent_alarms,
            self.removed,
            self.overspeeding,
        )

    def to_json(self) -> dict[str, Any]:
        """A compact JSON dict: times as epoch seconds, empty fields left out.

        It is written for every device of every batch, so it is kept small and fast.
        """
        data: dict[str, Any] = {"v": JSON_VERSION, "status": self.status.value}
        if self.last_seen is not None:
            data["seen"] = self.last_seen.timestamp()
        if self.offline_since is not None:
            data["offline"] = self.offline_since.timestamp()
        if self.last_fix_time is not None:
            data["fix"] = self.last_fix_time.timestamp()
        if self.position_time is not None:
            data["pos"] = [self.position_time.timestamp(), self.lat, self.lon, self.accuracy_m]
        if self.battery is not None:
            data["batt"] = self.battery
        if self.battery_alert is not None:
            data["alert"] = self.battery_alert.value
        if self.places:
            data["places"] = {
                str(pid): [
                    None if p is None else p.value,
                    None if c is None else c.value,
                    None if since is None else since.timestamp(),
                    n,
                    h,
                ]
                for pid, (p, c, since, n, h) in self.places.items()
            }
        if self.recent_alarms:
            data["alarms"] = {
                name: [when.timestamp() for when in times]
                for name, times in self.recent_alarms.items()
            }
        if self.removed:
            data["removed"] = True
        if self.overspeeding:
            data["fast"] = True
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> DeviceState:
        """Rebuild a state saved by `to_json`; None or {} gives a new device's state.

        A state in another format starts afresh: places are learnt again silently.
        """
        if not data or data.get("v") != JSON_VERSION:
            return cls()
        get = data.get
        pos = get("pos") or (None, None, None, None)
        places = get("places")
        alarms = get("alarms")
        return cls(
            _STATUS[get("status", "unknown")],
            _dt(get("seen")),
            _dt(get("offline")),
            _dt(get("fix")),
            _dt(pos[0]),
            pos[1],
            pos[2],
            pos[3],
            get("batt"),
            _ALERT[get("alert")],
            {
                int(pid): PlaceTrack(
                    _PRESENCE[p],
                    _PRESENCE[c],
                    None if since is None else datetime.fromtimestamp(since, UTC),
                    n,
                    h,
                )
                for pid, (p, c, since, n, h) in places.items()
            }
            if places
            else {},
            {name: tuple(_times(times)) for name, times in alarms.items()} if alarms else {},
            bool(get("removed", False)),
            bool(get("fast", False)),
        )


JSON_VERSION = 2
_STATUS = {status.value: status for status in DeviceStatus}
_ALERT: dict[str | None, EventKind | None] = {
    None: None,
    EventKind.LOW_BATTERY.value: EventKind.LOW_BATTERY,
    EventKind.CRITICAL_BATTERY.value: EventKind.CRITICAL_BATTERY,
}
_PRESENCE: dict[str | None, Presence | None] = {
    None: None,
    "in": Presence.INSIDE,
    "out": Presence.OUTSIDE,
}


def _dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _times(values: Sequence[float]) -> list[datetime]:
    return [datetime.fromtimestamp(value, UTC) for value in values]
