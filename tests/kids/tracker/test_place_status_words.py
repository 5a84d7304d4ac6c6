"""The dashboard says "At School" only while the rules hold the child inside; while a fix
outside waits for its confirmation it says "Left School?" instead, never "At School"."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from carewatch.kids.tracker.ingestion import ingest_fixes
from carewatch.kids.tracking import Fix
from carewatch.kids.tracking.model import PlaceTrack, Presence
from tests.kids.tracker.base import TrackerTestCase

# About 200 m north of the school's centre: 50 m outside its 150 m circle, clear of
# the edge by more than the fix's accuracy, so the rules start confirming "left".
OUTSIDE_LAT_DEG = 200 / 111_320


def test_a_confirmed_inside_with_an_outside_candidate_is_leaving() -> None:
    assert PlaceTrack(Presence.INSIDE, Presence.OUTSIDE).leaving
    assert not PlaceTrack(Presence.INSIDE).leaving
    assert not PlaceTrack(Presence.OUTSIDE, Presence.INSIDE).leaving


class PlaceStatusWordsTests(TrackerTestCase):
    def fix(self, minutes_ago: float, north_deg: float = 0.0) -> Fix:
        now = self.now - timedelta(minutes=minutes_ago)
        lat, lon = (self.school.lat or 0) + north_deg, self.school.lon or 0
        return Fix(self.device.identifier, now, lat, lon, accuracy_m=10)

    def setUp(self) -> None:
        super().setUp()
        self.now = timezone.now().replace(microsecond=0)
        inside = [self.fix(m) for m in (10, 8, 6)]
        ingest_fixes(inside, now=self.now - timedelta(minutes=6))
        self.login(self.alice)

    def dashboard(self) -> str:
        return self.client.get(reverse("tracker:dashboard")).content.decode()

    def test_it_says_at_school_while_the_child_is_inside(self) -> None:
        self.assertIn("At School", self.dashboard())

    def test_it_says_left_school_while_the_first_fix_outside_waits_for_confirmation(
        self,
    ) -> None:
        ingest_fixes([self.fix(1, OUTSIDE_LAT_DEG)], now=self.now - timedelta(minutes=1))
        page = self.dashboard()
        self.assertNotIn("At School", page)
        self.assertIn("Left School?", page)

    def test_it_says_nothing_of_school_once_leaving_is_confirmed(self) -> None:
        away = [self.fix(4, OUTSIDE_LAT_DEG), self.fix(1, OUTSIDE_LAT_DEG)]
        ingest_fixes(away, now=self.now)
        page = self.dashboard()
        self.assertNotIn("At School", page)
        self.assertNotIn("Left School?", page)
