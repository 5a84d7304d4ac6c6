"""Builders for the tracking core's tests: a child, its places, and fixes at given times."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from carewatch.kids.tracking import (
    DEFAULT_CONFIG,
    Circle,
    DeviceState,
    DeviceUpdate,
    Event,
    EventKind,
    Fix,
    PlaceDef,
    PlaceKind,
    Polygon,
    RuleConfig,
    process_device,
)
from carewatch.kids.tracking.geo import M_PER_DEG_LAT

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday
HOME_CENTRE = (52.52, 13.405)
HOME = PlaceDef(1, "Home", PlaceKind.HOME, Circle(*HOME_CENTRE, 150.0))


def offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    """The point north_m north and east_m east of (lat, lon)."""
    return (
        lat + north_m / M_PER_DEG_LAT,
        lon + east_m / (M_PER_DEG_LAT * math.cos(math.radians(lat))),
    )


def near_home(north_m: float, east_m: float = 0.0) -> tuple[float, float]:
    return offset(*HOME_CENTRE, north_m, east_m)


def rectangle(lat: float, lon: float, north_m: float, east_m: float) -> Polygon:
    """A rectangle whose south-west corner is (lat, lon)."""
    corners = [(0.0, 0.0), (north_m, 0.0), (north_m, east_m), (0.0, east_m)]
    return Polygon(tuple(offset(lat, lon, n, e) for n, e in corners))


SCHOOL_CORNER = (52.53, 13.40)
SCHOOL = PlaceDef(2, "School", PlaceKind.SCHOOL, rectangle(*SCHOOL_CORNER, 200.0, 300.0))


def at_school(north_m: float, east_m: float) -> tuple[float, float]:
    return offset(*SCHOOL_CORNER, north_m, east_m)


def fix(
    seconds: float,
    where: tuple[float, float],
    accuracy: float | None = 10.0,
    device_id: str = "watch-1",
    **fields: object,
) -> Fix:
    return Fix(
        device_id,
        T0 + timedelta(seconds=seconds),
        where[0],
        where[1],
        accuracy,
        **fields,
    )


class Child:
    """One device carried through successive batches, as the store would keep it."""

    def __init__(
        self,
        places: Sequence[PlaceDef] = (HOME,),
        config: RuleConfig = DEFAULT_CONFIG,
        device_id: str = "watch-1",
    ) -> None:
        self.places = list(places)
        self.config = config
        self.device_id = device_id
        self.state = DeviceState()
        self.events: list[Event] = []
        self.updates: list[DeviceUpdate] = []

    def send(self, fixes: Sequence[Fix], now: datetime | None = None) -> list[Event]:
        """One batch; by default it arrives 2 s after its newest fix."""
        if now is None:
            now = max(f.fix_time for f in fixes) + timedelta(seconds=2)
        update = process_device(self.device_id, self.state, fixes, self.places, now, self.config)
        self.state = update.state
        self.events += update.events
        self.updates.append(update)
        return update.events

    def at(self, seconds: float, where: tuple[float, float], **fields: object) -> list[Event]:
        """One fix at T0 + seconds, sent on its own."""
        return self.send([fix(seconds, where, device_id=self.device_id, **fields)])

    def stays(
        self,
        start: float,
        end: float,
        where: tuple[float, float],
        every: float = 10.0,
        **fields: object,
    ) -> list[Event]:
        """A fix every `every` seconds from start to end included, each sent on its own."""
        events = []
        seconds = start
        while seconds <= end:
            events += self.at(seconds, where, **fields)
            seconds += every
        return events

    def kinds(self) -> list[EventKind]:
        return [e.kind for e in self.events]
