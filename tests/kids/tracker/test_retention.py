"""Retention: the family's period applies to where alerts happened as well as to positions,
and the family sees and changes it on its location history page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.urls import reverse

from carewatch.kids.tracker import tasks
from carewatch.kids.tracker.models import Device, Event, TrackerSettings
from carewatch.platform.accounts.models import Family
from tests.kids.tracker.base import TrackerTestCase

NOW = datetime(2026, 12, 7, 3, 17, tzinfo=UTC)


class EventRetentionTests(TrackerTestCase):
    def event(
        self, days_ago: int, family: Family | None = None, device: Device | None = None
    ) -> Event:
        return Event.objects.create(
            device=device or self.device,
            family=family or self.family,
            kind="place_left",
            time=NOW - timedelta(days=days_ago),
            lat=13.0827,
            lon=80.2707,
            details={"place": "School"},
        )

    def test_alerts_older_than_the_default_90_days_lose_their_coordinates_only(self) -> None:
        old, recent = self.event(91), self.event(89)
        self.assertEqual(tasks.forget_old_event_places(NOW), 1)
        old.refresh_from_db()
        recent.refresh_from_db()
        self.assertEqual((old.lat, old.lon), (None, None))
        self.assertEqual(
            (old.kind, old.time, old.details),
            ("place_left", NOW - timedelta(days=91), {"place": "School"}),
        )
        self.assertEqual((recent.lat, recent.lon), (13.0827, 80.2707))

    def test_each_family_has_its_own_period(self) -> None:
        TrackerSettings.objects.create(family=self.family, retention_days=7)
        other_device = Device.objects.create(
            identifier="860000000000009", family=self.charlies_family
        )
        mine, theirs = self.event(10), self.event(10, self.charlies_family, other_device)
        tasks.forget_old_event_places(NOW)
        mine.refresh_from_db()
        theirs.refresh_from_db()
        self.assertIsNone(mine.lat)
        self.assertEqual(theirs.lat, 13.0827)

    def test_the_nightly_task_applies_the_period_to_alerts(self) -> None:
        TrackerSettings.objects.create(family=self.family, retention_days=7)
        old = self.event(400)
        tasks.retention.call_local()
        old.refresh_from_db()
        self.assertIsNone(old.lat)


class RetentionPageTests(TrackerTestCase):
    def url(self, family: Family | None = None) -> str:
        return reverse("tracker:privacy", args=[(family or self.family).pk])

    def test_a_guardian_sees_how_long_history_is_kept(self) -> None:
        self.login(self.bob)
        page = self.client.get(self.url())
        self.assertContains(page, "Keep where the children were for")
        self.assertContains(page, '<option value="90" selected>', html=False)
        self.assertContains(page, "Only the family’s owner can change this.")

    def test_the_owner_changes_it_and_the_sweep_uses_it(self) -> None:
        self.login(self.alice)
        response = self.client.post(self.url(), {"retention_days": "30"})
        self.assertRedirects(response, self.url())
        self.assertEqual(TrackerSettings.objects.get(family=self.family).retention_days, 30)
        old = Event.objects.create(
            device=self.device,
            family=self.family,
            kind="sos",
            time=NOW - timedelta(days=31),
            lat=1.0,
            lon=2.0,
        )
        tasks.forget_old_event_places(NOW)
        old.refresh_from_db()
        self.assertIsNone(old.lat)

    def test_a_guardian_who_is_not_the_owner_cannot_change_it(self) -> None:
        self.login(self.bob)
        self.client.post(self.url(), {"retention_days": "365"})
        self.assertFalse(TrackerSettings.objects.exclude(retention_days=90).exists())

    def test_it_refuses_a_period_that_is_not_offered(self) -> None:
        self.login(self.alice)
        for hostile in ("100000", "-1", "0", "90; DROP TABLE", ""):
            response = self.client.post(self.url(), {"retention_days": hostile})
            self.assertEqual(response.status_code, 400, hostile)
        self.assertFalse(TrackerSettings.objects.exclude(retention_days=90).exists())

    def test_an_outsider_gets_404(self) -> None:
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(self.client.post(self.url(), {"retention_days": "7"}).status_code, 404)
        self.assertFalse(
            TrackerSettings.objects.filter(family=self.family).exclude(retention_days=90).exists()
        )

    def test_the_dashboard_links_to_it(self) -> None:
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("tracker:dashboard")), self.url())
