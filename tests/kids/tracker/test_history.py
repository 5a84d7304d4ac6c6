"""A day's history: one device's valid positions in order, that day's events, bad input."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.urls import reverse

from carewatch.kids.tracker.live import day_bounds
from carewatch.kids.tracker.models import Child, Device, Event, Position
from tests.kids.tracker.base import TrackerTestCase
from tests.kids.tracker.mapping import embedded

DAY = dt.date(2026, 11, 20)


class HistoryTests(TrackerTestCase):
    def url(self, **params: object) -> str:
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return reverse("tracker:history", args=[self.family.pk]) + (f"?{query}" if query else "")

    def position(self, minutes: float, lat: float, valid: bool = True) -> Position:
        start, _end = day_bounds(DAY)
        return Position.objects.create(
            device=self.device,
            fix_time=start + timedelta(minutes=minutes),
            lat=lat,
            lon=80.27,
            valid=valid,
        )

    def test_it_is_404_for_an_outsider(self) -> None:
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(self.client.get(self.url(device=self.device.pk)).status_code, 404)

    def test_it_opens_for_a_guardian_on_today_by_default(self) -> None:
        self.login(self.bob)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["device"], self.device)

    def test_it_shows_only_that_days_valid_positions_in_fix_time_order(self) -> None:
        self.position(60 * 9, 13.03)
        self.position(60 * 8, 13.02)
        self.position(60 * 8.5, 0.0, valid=False)
        self.position(-1, 13.01)  # the evening before
        self.position(60 * 24 + 1, 13.04)  # the morning after
        self.login(self.alice)
        response = self.client.get(self.url(device=self.device.pk, date=DAY.isoformat()))
        track = embedded(response, "history-data")["track"]
        self.assertEqual([point[1] for point in track], [13.02, 13.03])
        first_time = dt.datetime.fromisoformat(track[0][0])
        self.assertEqual(first_time, day_bounds(DAY)[0] + timedelta(hours=8))
        self.assertContains(response, 'type="range"')
        self.assertContains(response, "2 positions between 08:00 and 09:00.")

    def test_it_lists_that_days_events(self) -> None:
        start, _end = day_bounds(DAY)
        for kind, when in [
            ("place_exit", start + timedelta(hours=15)),
            ("sos", start - timedelta(hours=1)),
        ]:
            Event.objects.create(
                device=self.device,
                family=self.family,
                child=self.child,
                kind=kind,
                time=when,
                place=self.school,
            )
        self.login(self.alice)
        response = self.client.get(self.url(device=self.device.pk, date=DAY.isoformat()))
        self.assertEqual([event.kind for event in response.context["events"]], ["place_exit"])
        self.assertContains(response, "Left a place")

    def test_it_links_to_the_previous_and_next_days(self) -> None:
        self.login(self.alice)
        response = self.client.get(self.url(device=self.device.pk, date=DAY.isoformat()))
        self.assertContains(response, "date=2026-11-19")
        self.assertContains(response, "date=2026-11-21")

    def test_it_has_no_next_day_after_today(self) -> None:
        self.login(self.alice)
        response = self.client.get(self.url(device=self.device.pk))
        self.assertIsNone(response.context["next_day"])

    def test_it_explains_a_malformed_date_and_shows_today(self) -> None:
        self.login(self.alice)
        for bad in ["2026-13-45", "yesterday", "2026-11", "%00"]:
            response = self.client.get(self.url(device=self.device.pk, date=bad))
            self.assertContains(response, "That date is not valid", status_code=400)

    def test_it_is_404_for_an_unknown_or_another_familys_device(self) -> None:
        zed = Child.objects.create(family=self.charlies_family, name="Zed")
        other = Device.objects.create(
            identifier="860000000000999", family=self.charlies_family, child=zed
        )
        self.login(self.alice)
        for bad in [other.pk, 999999, "abc", "%20"]:
            self.assertEqual(self.client.get(self.url(device=bad)).status_code, 404, bad)

    def test_it_says_so_when_no_watch_is_paired(self) -> None:
        self.login(self.charlie)
        response = self.client.get(reverse("tracker:history", args=[self.charlies_family.pk]))
        self.assertContains(response, "No watch is paired yet")
