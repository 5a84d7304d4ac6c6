"""Periodic work: offline detection every minute, history retention every night.

Retention is the family's choice (TrackerSettings.retention_days, 90 days unless changed
on the family's privacy page): older positions are deleted, and older alerts keep what
happened and when but lose where (their coordinates are cleared)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from carewatch.kids import tracking
from carewatch.kids.tracker.ingestion import DeviceRow, OrmStore, after_commit, update_devices
from carewatch.kids.tracker.models import Device, DeviceStatus, Event, Position, TrackerSettings
from carewatch.platform.accounts.models import Family

DEFAULT_RETENTION_DAYS = 90


def mark_silent_devices_offline(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=tracking.DEFAULT_CONFIG.offline_after_s)
    silent = Device.objects.filter(
        status=DeviceStatus.ONLINE, last_seen__lt=cutoff, family__isnull=False
    ).select_for_update(skip_locked=True)
    store = OrmStore()
    changed: list[DeviceRow] = []
    events: list[Event] = []
    with transaction.atomic():
        for row in silent.values_list("pk", "identifier", "family_id", "child_id", "state"):
            device = store.devices[row[1]] = DeviceRow(*row)
            state, new_events = tracking.check_offline(
                device.identifier, tracking.DeviceState.from_json(device.state), now
            )
            if new_events:
                changed.append(store.apply_state(tracking.DeviceUpdate(device.identifier, state)))
                events += [store.event_row(device.identifier, event, now) for event in new_events]
        update_devices(changed)
        saved = Event.objects.bulk_create(events)
        transaction.on_commit(lambda: after_commit(changed, saved))
    return len(changed)


def retention_cutoffs(now: dt.datetime | None = None) -> dict[int, dt.datetime]:
    """For each family with tracker data: the time before which its history goes."""
    now = now or timezone.now()
    custom = dict(TrackerSettings.objects.values_list("family_id", "retention_days"))
    with_data = Family.objects.filter(Q(devices__isnull=False) | Q(tracker_events__isnull=False))
    return {
        family_id: now - dt.timedelta(days=custom.get(family_id, DEFAULT_RETENTION_DAYS))
        for family_id in with_data.values_list("pk", flat=True).distinct()
    }


def remove_old_positions(now: dt.datetime | None = None) -> int:
    """Deletes positions older than each family's chosen period (90 days unless changed)."""
    removed = 0
    for family_id, cutoff in retention_cutoffs(now).items():
        old = Position.objects.filter(device__family_id=family_id, fix_time__lt=cutoff)
        removed += old.delete()[0]
    return removed


def forget_old_event_places(now: dt.datetime | None = None) -> int:
    """Clears the coordinates of alerts older than the family's period; returns how many."""
    cleared = 0
    for family_id, cutoff in retention_cutoffs(now).items():
        old = Event.objects.filter(family_id=family_id, time__lt=cutoff, lat__isnull=False)
        cleared += old.update(lat=None, lon=None)
    return cleared


@db_periodic_task(crontab(minute="*"))
def offline_check() -> None:
    mark_silent_devices_offline()


@db_periodic_task(crontab(hour="3", minute="17"))
def retention() -> None:
    remove_old_positions()
    forget_old_event_places()
