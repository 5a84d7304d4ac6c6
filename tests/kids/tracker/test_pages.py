"""Parent pages: guardians use them, an outsider gets 404 on every one of them."""

from __future__ import annotations

from django.urls import reverse

from carewatch.kids.tracker.models import Child, Place
from tests.kids.tracker.base import TrackerTestCase


class TrackerPageTests(TrackerTestCase):
    def family_urls(self) -> list[tuple[str, str]]:
        fid = self.family.pk
        return [
            ("GET", reverse("tracker:add_child", args=[fid])),
            ("GET", reverse("tracker:pair", args=[fid])),
            ("GET", reverse("tracker:places", args=[fid])),
            ("GET", reverse("tracker:new_place", args=[fid])),
            ("GET", reverse("tracker:edit_place", args=[fid, self.school.pk])),
            ("POST", reverse("tracker:delete_place", args=[fid, self.school.pk])),
            ("GET", reverse("tracker:events", args=[fid])),
            ("GET", reverse("tracker:alert_settings", args=[fid])),
        ]

    def test_every_family_page_is_404_for_an_outsider(self) -> None:
        self.login(self.charlie)
        for method, url in self.family_urls():
            response = self.client.post(url, {}) if method == "POST" else self.client.get(url)
            self.assertEqual(response.status_code, 404, url)
        self.assertTrue(Place.objects.filter(pk=self.school.pk).exists())

    def test_every_family_page_opens_for_a_guardian(self) -> None:
        self.login(self.bob)
        for method, url in self.family_urls():
            if method == "GET":
                self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_the_dashboard_shows_only_the_users_own_children(self) -> None:
        Child.objects.create(family=self.charlies_family, name="Zed")
        self.login(self.alice)
        response = self.client.get(reverse("tracker:dashboard"))
        self.assertContains(response, "Asha")
        self.assertNotContains(response, "Zed")

    def test_a_guardian_adds_a_child_with_only_a_name_and_a_year(self) -> None:
        self.login(self.alice)
        url = reverse("tracker:add_child", args=[self.family.pk])
        response = self.client.post(url, {"name": "Ravi", "birth_year": "2019"})
        self.assertRedirects(response, reverse("tracker:pair", args=[self.family.pk]))
        self.assertTrue(self.family.children.filter(name="Ravi", birth_year=2019).exists())

    def test_it_refuses_an_impossible_birth_year(self) -> None:
        self.login(self.alice)
        url = reverse("tracker:add_child", args=[self.family.pk])
        response = self.client.post(url, {"name": "Ravi", "birth_year": "1950"})
        self.assertContains(response, "Enter a birth year between")

    def test_it_saves_a_place_and_explains_a_bad_one(self) -> None:
        self.login(self.alice)
        url = reverse("tracker:new_place", args=[self.family.pk])
        good = {"name": "Home", "kind": "home", "lat": "13.05", "lon": "80.25", "radius_m": "100"}
        self.assertEqual(self.client.post(url, good).status_code, 302)
        self.assertTrue(self.family.places.filter(name="Home").exists())
        for bad, message in [
            (good | {"lat": "0", "lon": "0"}, "That is not a real position."),
            (good | {"radius_m": "5"}, "Choose a radius between 30 and 5,000 metres."),
            (good | {"lat": ""}, "Choose the place on the map"),
            (good | {"active_from": "08:00"}, "Give both the start and the end"),
        ]:
            response = self.client.post(url, bad)
            self.assertContains(response, message, status_code=400)

    def test_the_alert_settings_are_per_guardian(self) -> None:
        self.login(self.bob)
        url = reverse("tracker:alert_settings", args=[self.family.pk])
        self.client.post(
            url, {"kinds": ["place_exit"], "quiet_from": "21:00", "quiet_until": "07:00"}
        )
        self.assertEqual(self.bob.alert_settings.get().kinds, ["place_exit"])
        self.assertFalse(self.alice.alert_settings.exists())
