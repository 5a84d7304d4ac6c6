"""The live map page: guardians only, the family's own places, devices and today's track."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from carewatch.kids.tracker.ingestion import ingest_fixes
from carewatch.kids.tracker.live import day_bounds
from carewatch.kids.tracker.models import Child, Device, Place, Position
from carewatch.kids.tracking import Fix
from tests.kids.tracker.base import TrackerTestCase
from tests.kids.tracker.mapping import embedded


class MapPageTests(TrackerTestCase):
    def url(self) -> str:
        return reverse("tracker:map", args=[self.family.pk])

    def test_it_is_404_for_an_outsider(self) -> None:
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_asks_a_visitor_to_log_in(self) -> None:
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_it_opens_for_both_guardians(self) -> None:
        for user in (self.alice, self.bob):
            self.login(user)
            self.assertEqual(self.client.get(self.url()).status_code, 200)

    def test_it_embeds_the_familys_places_and_devices_and_nobody_elses(self) -> None:
        zed = Child.objects.create(family=self.charlies_family, name="Zed")
        Device.objects.create(
            identifier="860000000000999", family=self.charlies_family, child=zed, lat=1, lon=2
        )
        Place.objects.create(
            family=self.charlies_family, name="Zed's park", lat=13.1, lon=80.3, radius_m=100
        )
        Device.objects.filter(pk=self.device.pk).update(lat=13.08, lon=80.27, battery=64)
        self.login(self.alice)
        response = self.client.get(self.url())
        data = embedded(response, "map-data")
        self.assertEqual([p["name"] for p in data["places"]], ["School"])
        self.assertEqual([(d["name"], d["battery"]) for d in data["devices"]], [("Asha", 64)])
        self.assertNotContains(response, "Zed")
        self.assertEqual(data["live_url"], reverse("tracker:live", args=[self.family.pk]))

    def test_it_draws_polygon_places_as_their_corners(self) -> None:
        square = [[13.0, 80.0], [13.0, 80.01], [13.01, 80.01], [13.01, 80.0]]
        Place.objects.create(
            family=self.family, name="Park", lat=13.005, lon=80.005, polygon=square
        )
        self.login(self.alice)
        places = embedded(self.client.get(self.url()), "map-data")["places"]
        self.assertEqual({p["name"]: p["polygon"] for p in places}["Park"], square)

    def test_it_embeds_only_todays_valid_positions_in_fix_time_order(self) -> None:
        start, _end = day_bounds(timezone.localdate())
        for minutes, lat, valid in [(2, 13.02, True), (1, 13.01, True), (3, 0.0, False)]:
            Position.objects.create(
                device=self.device,
                fix_time=start + timedelta(minutes=minutes),
                lat=lat,
                lon=80.2,
                valid=valid,
            )
        Position.objects.create(
            device=self.device, fix_time=start - timedelta(minutes=1), lat=12.9, lon=80.2
        )
        self.login(self.alice)
        tracks = embedded(self.client.get(self.url()), "map-data")["tracks"]
        self.assertEqual(tracks, {str(self.device.pk): [[13.01, 80.2], [13.02, 80.2]]})

    def test_it_draws_on_a_plain_background_when_no_tile_server_is_set(self) -> None:
        self.login(self.alice)
        with override_settings(MAP_TILE_URL=""):
            tiles = embedded(self.client.get(self.url()), "map-data")["tiles"]
        self.assertEqual(tiles["url"], "")
        url = "https://tiles.example.org/{z}/{x}/{y}.png"
        with override_settings(MAP_TILE_URL=url, MAP_ATTRIBUTION="© Example"):
            tiles = embedded(self.client.get(self.url()), "map-data")["tiles"]
        self.assertEqual(tiles, {"url": url, "attribution": "© Example"})

    def test_it_loads_leaflet_from_our_own_static_files(self) -> None:
        self.login(self.alice)
        page = self.client.get(self.url()).content.decode()
        sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+\.(?:js|css))"', page)
        self.assertIn("/static/vendor/leaflet/leaflet.js", sources)
        self.assertTrue(all(source.startswith("/static/") for source in sources), sources)

    def test_the_dashboard_links_to_the_map_and_says_where_the_child_is(self) -> None:
        now = timezone.now().replace(microsecond=0)
        at_school = [
            Fix(
                self.device.identifier,
                now - timedelta(minutes=m),
                self.school.lat or 0,
                self.school.lon or 0,
                accuracy_m=10,
            )
            for m in (4, 2, 0)
        ]  # spans the two-minute confirmation: the rules learn "inside" silently
        ingest_fixes(at_school, now=now)
        self.login(self.alice)
        response = self.client.get(reverse("tracker:dashboard"))
        self.assertContains(response, self.url())
        self.assertContains(response, "At School")
