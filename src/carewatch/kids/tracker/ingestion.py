"""The ORM side of ingestion: `OrmStore` implements the tracking core's Store protocol.

The ingest workers (`carewatch.kids.ingest`) use `OrmStore` for every batch they read
from the log, the one way positions enter. `ingest_fixes(fixes)` runs the same store
directly, without the log: for `bench/tracker_ingest_bench.py` and tests. One query loads the
devices, one the places of their families; one transaction saves positions,
device state and events; open live maps hear of them and guardians are alerted
only after that commit, so neither ever points at a row that was rolled back.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from carewatch.kids import tracking
from carewatch.kids.tracker import alerts, livefeed, sql
from carewatch.kids.tracker.models import Event, Place
from carewatch.kids.tracking.ingest import DeviceContext, IngestResult
from carewatch.kids.tracking.model import (
    ActiveHours,
    Circle,
    DeviceState,
    Fix,
    PlaceDef,
    PlaceKind,
    Polygon,
)
from carewatch.kids.tracking.places import PlaceSet
from carewatch.kids.tracking.rules import DeviceUpdate

logger = logging.getLogger(__name__)


def ingest_fixes(fixes: Iterable[Fix], now: dt.datetime | None = None) -> IngestResult:
    store = OrmStore()
    with transaction.atomic():
        result = tracking.ingest(fixes, store, now=now or timezone.now())
        saved, moved = store.saved_events, store.updated
        transaction.on_commit(lambda: after_commit(moved, saved))
    return result


def after_commit(devices: Sequence[DeviceRow], events: Sequence[Event]) -> None:
    """Open maps first (microseconds), then guardians; nothing may stop the alerts."""
    try:
        livefeed.publish_updates(devices, events)
    except Exception:
        logger.exception("Live maps were not told about %d devices.", len(devices))
    alert_all(events)


def alert_all(events: Sequence[Event]) -> None:
    for event in events:
        alerts.alert_guardians(event)


def place_def(place: Place) -> PlaceDef:
    shape: Any
    if place.polygon:
        shape = Polygon(tuple((float(lat), float(lon)) for lat, lon in place.polygon))
    else:
        shape = Circle(float(place.lat or 0), float(place.lon or 0), float(place.radius_m or 0))
    hours = None
    if place.active_from and place.active_until:
        days = frozenset(place.active_days or range(7))
        hours = ActiveHours(days, place.active_from, place.active_until, settings.TIME_ZONE)
    return PlaceDef(place.pk, place.name, PlaceKind(place.kind), shape, hours)


@dataclass(slots=True)
class DeviceRow:
    """What ingestion needs of a device: its ids, and the columns it rewrites."""

    pk: int
    identifier: str
    family_id: int
    child_id: int | None
    state: dict[str, Any]
    status: str = ""
    last_seen: dt.datetime | None = None
    last_fix_time: dt.datetime | None = None
    lat: float | None = None
    lon: float | None = None
    accuracy: float | None = None
    battery: int | None = None
    rules: DeviceState | None = None  # newer than `state` when set: turned to JSON when written

    def state_json(self) -> dict[str, Any]:
        return self.rules.to_json() if self.rules is not None else self.state


class PlaceCache:
    """Each family's places as the rules want them, kept for a few seconds.

    Places change rarely and are read for every batch. In this process a change
    evicts the family at once (signals below); other processes see it within
    `max_age_s`.
    """

    max_age_s = 10.0

    def __init__(self) -> None:
        self._families: dict[int, tuple[float, PlaceSet]] = {}

    def get(self, family_ids: Collection[int]) -> dict[int, PlaceSet]:
        clock = time.monotonic()
        fresh = {
            family_id: entry[1]
            for family_id in family_ids
            if (entry := self._families.get(family_id)) and clock - entry[0] < self.max_age_s
        }
        missing = [family_id for family_id in family_ids if family_id not in fresh]
        if not missing:
            return fresh
        defs: dict[int, list[PlaceDef]] = {family_id: [] for family_id in missing}
        for place in Place.objects.filter(family_id__in=missing).order_by("pk"):
            defs[place.family_id].append(place_def(place))
        # compiled once here: the rules then reuse the set for every device and batch
        loaded = {family_id: PlaceSet.of(places) for family_id, places in defs.items()}
        self._families.update((family_id, (clock, places)) for family_id, places in loaded.items())
        return fresh | loaded

    def forget(self, family_id: int) -> None:
        self._families.pop(family_id, None)


PLACES = PlaceCache()


@receiver([post_save, post_delete], sender=Place)
def _place_changed(sender: Any, instance: Place, **kwargs: Any) -> None:
    PLACES.forget(instance.family_id)


class OrmStore:
    def __init__(self) -> None:
        self.devices: dict[str, DeviceRow] = {}
        self.updated: list[DeviceRow] = []
        self.saved_events: list[Event] = []

    def load(self, device_ids: Collection[str]) -> dict[str, DeviceContext]:
        self.devices = {row[1]: DeviceRow(*row) for row in sql.paired_devices(device_ids)}
        places = PLACES.get({device.family_id for device in self.devices.values()})
        return {
            identifier: DeviceContext(DeviceState.from_json(device.state), places[device.family_id])
            for identifier, device in self.devices.items()
        }

    def save(self, updates: Sequence[DeviceUpdate], now: dt.datetime) -> None:
        sql.insert_positions(
            [self._position(u.device_id, stored, now) for u in updates for stored in u.positions],
            skip_existing=True,  # a fix resent after a restart is already stored
        )
        self.updated = [self.apply_state(update) for update in updates]
        self.write_devices(self.updated, updates)
        events = [self.event_row(u.device_id, event, now) for u in updates for event in u.events]
        self.saved_events = Event.objects.bulk_create(events) if events else []

    def write_devices(self, rows: Sequence[DeviceRow], updates: Sequence[DeviceUpdate]) -> None:
        """Each updated device's row, at once (the ingest workers write some later)."""
        update_devices(rows)

    def _position(self, device_id: str, stored: Any, now: dt.datetime) -> tuple[Any, ...]:
        fix = stored.fix
        return (
            self.devices[device_id].pk,
            fix.fix_time,
            now,
            fix.lat,
            fix.lon,
            fix.accuracy_m,
            fix.speed_kmh,
            fix.course,
            fix.altitude,
            fix.battery,
            stored.located,
            stored.late,
            dict(fix.attributes),
        )

    def apply_state(self, update: DeviceUpdate) -> DeviceRow:
        device, state = self.devices[update.device_id], update.state
        device.rules = state  # to JSON only if the row is written (workers write fewer)
        device.status = str(state.status)
        device.last_seen = state.last_seen
        device.last_fix_time = state.position_time
        device.lat, device.lon, device.accuracy = state.lat, state.lon, state.accuracy_m
        device.battery = state.battery
        return device

    def event_row(self, device_id: str, event: tracking.Event, now: dt.datetime) -> Event:
        device = self.devices[device_id]
        return Event(
            device_id=device.pk,
            family_id=device.family_id,
            child_id=device.child_id,
            kind=str(event.kind),
            time=event.time,
            server_time=now,
            place_id=event.place_id,
            lat=event.lat,
            lon=event.lon,
            delayed=event.delayed,
            details=dict(event.details),
        )


def update_devices(devices: Sequence[DeviceRow]) -> None:
    sql.update_devices(
        [
            (
                d.pk,
                d.state_json(),
                d.status,
                d.last_seen,
                d.last_fix_time,
                d.lat,
                d.lon,
                d.accuracy,
                d.battery,
            )
            for d in devices
        ]
    )
