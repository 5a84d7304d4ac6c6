"""Ingestion through the ORM: positions, device state, events, then alerts after the commit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from carewatch.kids.tracker.ingestion import ingest_fixes
from carewatch.kids.tracker.models import Device, Event, Position, TrackerSettings
from carewatch.kids.tracker.tasks import mark_silent_devices_offline, remove_old_positions
from carewatch.kids.tracking import Fix
from carewatch.platform.notify.models import Notification
from tests.kids.tracker.base import TrackerTestCase

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SCHOOL = (13.0827, 80.2707)
OUTSIDE = (13.0827 + 0.004, 80.2707)  # about 445 m north of the school's centre


def fix(minutes: float, where: tuple[float, float], **extra: object) -> Fix:
    return Fix(
        device_id="860000000000001",
        fix_time=T0 + timedelta(minutes=minutes),
        lat=where[0],
        lon=where[1],
        accuracy_m=10,
        battery=80,
        **extra,  # type: ignore[arg-type]
    )


class IngestionTests(TrackerTestCase):
    def ingest(self, fixes: list[Fix], at_minutes: float) -> object:
        with self.captureOnCommitCallbacks(execute=True):
            return ingest_fixes(fixes, now=T0 + timedelta(minutes=at_minutes))

    def test_it_stores_positions_and_the_devices_latest_state(self) -> None:
        result = self.ingest([fix(0, SCHOOL), fix(1, SCHOOL)], at_minutes=1)
        self.assertEqual(result.accepted, 2)  # type: ignore[attr-defined]
        device = Device.objects.get(pk=self.device.pk)
        self.assertEqual((device.status, device.battery), ("online", 80))
        self.assertAlmostEqual(device.lat or 0, SCHOOL[0])
        self.assertEqual(Position.objects.filter(device=device).count(), 2)

    def test_it_drops_a_batch_sent_twice(self) -> None:
        batch = [fix(0, SCHOOL), fix(1, SCHOOL)]
        self.ingest(batch, at_minutes=1)
        self.ingest(batch, at_minutes=2)
        self.assertEqual(Position.objects.count(), 2)

    def test_leaving_school_alerts_both_guardians_after_the_commit(self) -> None:
        inside = [fix(minute, SCHOOL) for minute in range(3)]  # spans the 2-minute confirmation
        self.ingest(inside, at_minutes=2)  # learns "inside" silently
        self.assertFalse(Event.objects.exists())
        self.ingest([fix(minute, OUTSIDE) for minute in range(3, 6)], at_minutes=5)
        event = Event.objects.get()
        self.assertEqual(
            (event.kind, event.place, event.child), ("place_exit", self.school, self.child)
        )
        owners = set(Notification.objects.values_list("channel__owner__email", flat=True))
        self.assertEqual(owners, {"alice@example.org", "bob@example.org"})

    def test_an_sos_is_an_event_at_once_and_told_once_a_minute(self) -> None:
        self.ingest([fix(0, SCHOOL, alarms=frozenset({"sos"}))], at_minutes=0)
        self.ingest([fix(0.5, SCHOOL, alarms=frozenset({"sos"}))], at_minutes=0.5)
        self.assertEqual(Event.objects.filter(kind="sos").count(), 1)
        self.assertTrue(Notification.objects.filter(event="tracker.sos").exists())

    def test_it_reports_unknown_and_unpaired_devices_without_storing_anything(self) -> None:
        Device.objects.create(identifier="860000000000777")  # sold, not paired yet
        unknown = Fix(device_id="999", fix_time=T0, lat=1.0, lon=1.0)
        unpaired = Fix(device_id="860000000000777", fix_time=T0, lat=1.0, lon=1.0)
        result = self.ingest([unknown, unpaired], at_minutes=0)
        self.assertEqual(set(result.unknown_devices), {"999", "860000000000777"})  # type: ignore[attr-defined]
        self.assertFalse(Position.objects.exists())

    def test_a_silent_device_goes_offline_and_comes_back_online(self) -> None:
        self.ingest([fix(0, SCHOOL)], at_minutes=0)
        self.assertEqual(mark_silent_devices_offline(T0 + timedelta(minutes=10)), 0)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(mark_silent_devices_offline(T0 + timedelta(minutes=16)), 1)
        self.assertEqual(Device.objects.get(pk=self.device.pk).status, "offline")
        self.ingest([fix(20, SCHOOL)], at_minutes=20)
        kinds = list(Event.objects.order_by("time").values_list("kind", flat=True))
        self.assertEqual(kinds, ["offline", "back_online"])

    def test_old_positions_are_removed_after_the_familys_period(self) -> None:
        self.ingest([fix(0, SCHOOL), fix(60 * 24 * 20, SCHOOL)], at_minutes=60 * 24 * 20)
        TrackerSettings.objects.create(family=self.family, retention_days=10)
        removed = remove_old_positions(T0 + timedelta(days=25))
        self.assertEqual(removed, 1)
        self.assertEqual(Position.objects.count(), 1)
