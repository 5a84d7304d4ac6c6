"""The ORM side of ingestion: `OrmStore` implements the tracking core's Store protocol.

Gateways and the simulator call `ingest_fixes(fixes)`. One query loads the
devices, one the places of their families; one transaction saves positions,
device state and events; guardians are alerted only after that commit, so an
alert never points at a row that was rolled back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carewatch.kids import tracking
from carewatch.kids.tracker import alerts
from carewatch.kids.tracker.models import Device, Event, Place, Position
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
from carewatch.kids.tracking.rules import DeviceUpdate


def ingest_fixes(fixes: Iterable[Fix], now: dt.datetime | None = None) -> IngestResult:
    store = OrmStore()
    with transaction.atomic():
        result = tracking.ingest(fixes, store, now=now or timezone.now())
        saved = store.saved_events
        transaction.on_commit(lambda: alert_all(saved))
    return result


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


class OrmStore:
    def __init__(self) -> None:
        self.devices: dict[str, Device] = {}
        self.saved_events: list[Event] = []

    def load(self, device_ids: Collection[str]) -> dict[str, DeviceContext]:
        devices = Device.objects.filter(identifier__in=list(device_ids), family__isnull=False)
        self.devices = {device.identifier: device for device in devices}
        places: dict[int, list[PlaceDef]] = defaultdict(list)
        family_ids = {device.family_id for device in self.devices.values() if device.family_id}
        for place in Place.objects.filter(family_id__in=family_ids).order_by("pk"):
            places[place.family_id].append(place_def(place))
        return {
            identifier: DeviceContext(
                DeviceState.from_json(device.state), places.get(device.family_id or 0, [])
            )
            for identifier, device in self.devices.items()
        }

    def save(self, updates: Sequence[DeviceUpdate], now: dt.datetime) -> None:
        Position.objects.bulk_create(
            [self._position(u.device_id, stored, now) for u in updates for stored in u.positions],
            ignore_conflicts=True,  # a fix resent after a restart is already stored
        )
        changed = [self._apply_state(update) for update in updates]
        Device.objects.bulk_update(changed, DEVICE_FIELDS)
        events = [self._event(u.device_id, event, now) for u in updates for event in u.events]
        self.saved_events = Event.objects.bulk_create(events)

    def _position(self, device_id: str, stored: Any, now: dt.datetime) -> Position:
        fix = stored.fix
        return Position(
            device=self.devices[device_id],
            fix_time=fix.fix_time,
            server_time=now,
            lat=fix.lat,
            lon=fix.lon,
            accuracy=fix.accuracy_m,
            speed=fix.speed_kmh,
            course=fix.course,
            altitude=fix.altitude,
            battery=fix.battery,
            valid=stored.located,
            late=stored.late,
            attributes=dict(fix.attributes),
        )

    def _apply_state(self, update: DeviceUpdate) -> Device:
        device, state = self.devices[update.device_id], update.state
        device.state = state.to_json()
        device.status = str(state.status)
        device.last_seen = state.last_seen
        device.last_fix_time = state.position_time
        device.lat, device.lon, device.accuracy = state.lat, state.lon, state.accuracy_m
        device.battery = state.battery
        return device

    def _event(self, device_id: str, event: tracking.Event, now: dt.datetime) -> Event:
        device = self.devices[device_id]
        return Event(
            device=device,
            family_id=device.family_id,  # type: ignore[misc]  # loaded with a family
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


DEVICE_FIELDS = [
    "state",
    "status",
    "last_seen",
    "last_fix_time",
    "lat",
    "lon",
    "accuracy",
    "battery",
]
