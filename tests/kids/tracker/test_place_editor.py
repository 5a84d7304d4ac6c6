"""The place form: a circle typed or drawn, an area drawn as a polygon, and bad areas explained."""

from __future__ import annotations

import json

from django.urls import reverse

from carewatch.kids.tracker.forms import MAX_POLYGON_POINTS
from carewatch.kids.tracker.models import Place
from tests.kids.tracker.base import TrackerTestCase
from tests.kids.tracker.mapping import embedded

SQUARE = [[13.05, 80.25], [13.05, 80.26], [13.06, 80.26], [13.06, 80.25]]
GOOD = {"name": "Park", "kind": "other", "lat": "", "lon": "", "radius_m": ""}


class PlaceEditorTests(TrackerTestCase):
    def url(self) -> str:
        return reverse("tracker:new_place", args=[self.family.pk])

    def post(self, polygon: object, **fields: str) -> object:
        self.login(self.alice)
        data = GOOD | fields | {"polygon": json.dumps(polygon)}
        return self.client.post(self.url(), data)

    def test_it_saves_a_drawn_area_with_its_centre_and_no_radius(self) -> None:
        response = self.post(SQUARE)
        self.assertEqual(response.status_code, 302)  # type: ignore[attr-defined]
        park = Place.objects.get(name="Park")
        self.assertEqual(park.polygon, SQUARE)
        self.assertAlmostEqual(park.lat or 0, 13.055)
        self.assertAlmostEqual(park.lon or 0, 80.255)
        self.assertIsNone(park.radius_m)

    def test_a_closed_ring_is_saved_without_its_repeated_corner(self) -> None:
        self.post(SQUARE + [SQUARE[0]])
        self.assertEqual(Place.objects.get(name="Park").polygon, SQUARE)

    def test_it_explains_each_bad_area(self) -> None:
        star = [[0.0 + i * 0.001, 80 + (i % 2) * 0.001] for i in range(MAX_POLYGON_POINTS + 1)]
        bowtie = [[13.05, 80.25], [13.06, 80.26], [13.05, 80.26], [13.06, 80.25]]
        for polygon, message in [
            (SQUARE[:2], "Draw an area with at least 3 corners."),
            (star, f"Draw an area with at most {MAX_POLYGON_POINTS} corners."),
            ([[13.05, 80.25], [95.0, 80.26], [13.06, 80.26]], "A corner of the area is not a real"),
            (bowtie, "The edges of the area cross each other."),
            ([["a", "b"], [1, 2], [3, 4]], "The drawn area could not be read."),
            ({"lat": 1}, "The drawn area could not be read."),
        ]:
            response = self.post(polygon)
            self.assertContains(response, message, status_code=400)
        self.login(self.alice)
        response = self.client.post(self.url(), GOOD | {"polygon": "[[13.05, "})
        self.assertContains(response, "The drawn area could not be read.", status_code=400)
        self.assertFalse(Place.objects.filter(name="Park").exists())

    def test_without_a_drawing_the_typed_circle_still_works(self) -> None:
        self.login(self.alice)
        fields = GOOD | {"lat": "13.05", "lon": "80.25", "radius_m": "120", "polygon": ""}
        self.assertEqual(self.client.post(self.url(), fields).status_code, 302)
        park = Place.objects.get(name="Park")
        self.assertEqual((park.polygon, park.radius_m), ([], 120))

    def test_turning_an_area_back_into_a_circle_forgets_the_corners(self) -> None:
        park = Place.objects.create(
            family=self.family, name="Park", lat=13.055, lon=80.255, polygon=SQUARE
        )
        self.login(self.alice)
        url = reverse("tracker:edit_place", args=[self.family.pk, park.pk])
        fields = GOOD | {"lat": "13.05", "lon": "80.25", "radius_m": "200", "polygon": ""}
        self.assertEqual(self.client.post(url, fields).status_code, 302)
        park.refresh_from_db()
        self.assertEqual((park.polygon, park.radius_m), ([], 200))

    def test_the_form_shows_a_map_with_the_familys_other_places_faintly(self) -> None:
        self.login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, 'id="place-map"')
        self.assertContains(response, "/static/vendor/geoman/leaflet-geoman.min.js")
        self.assertEqual(
            [p["name"] for p in embedded(response, "place-editor-data")["others"]], ["School"]
        )
        editing = self.client.get(
            reverse("tracker:edit_place", args=[self.family.pk, self.school.pk])
        )
        self.assertEqual(embedded(editing, "place-editor-data")["others"], [])
        self.assertContains(editing, 'name="polygon"')

    def test_it_is_404_for_an_outsider(self) -> None:
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
