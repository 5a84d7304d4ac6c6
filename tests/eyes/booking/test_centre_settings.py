"""The clinic admin's page for the centre's public details and opening hours."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from carewatch.eyes.booking.models import Centre
from tests.base import BaseTestCase
from tests.eyes.booking.helpers import make_centre


def settings_form(**overrides: str) -> dict[str, str]:
    data = {
        "public": "on",
        "address": "4 Gandhi Road",
        "city": "Coimbatore",
        "pincode": "641001",
        "phone": "+91 422 123 4567",
        "price_rupees": "200",
        "slot_minutes": "20",
        "per_slot": "3",
        "directions": "First floor.",
        "referral_language": "en",
        "opens_0": "09:00",
        "closes_0": "13:00",
        "opens_2": "14:00",
        "closes_2": "18:30",
    }
    return data | overrides


class CentreSettingsTests(BaseTestCase):
    url: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = reverse("desk:settings", args=["demo-centre"])

    def test_it_saves_the_details_and_the_hours_and_lists_the_centre(self) -> None:
        self.login(self.clinic_admin)
        response = self.client.post(self.url, settings_form(), follow=True)
        self.assertContains(response, "The centre&#x27;s details and hours are saved.")
        centre = Centre.objects.get(clinic=self.clinic)
        self.assertEqual(
            (centre.city, centre.per_slot, centre.price_rupees), ("Coimbatore", 3, 200)
        )
        hours = {h.weekday: (h.opens, h.closes) for h in centre.hours.all()}
        self.assertEqual(hours, {0: (dt.time(9), dt.time(13)), 2: (dt.time(14), dt.time(18, 30))})
        response = self.client.get(reverse("booking:centres"), {"q": "641"})
        self.assertContains(response, "Demo Centre")

    def test_it_replaces_the_hours_so_a_day_can_be_closed(self) -> None:
        make_centre(self.clinic)
        self.login(self.clinic_admin)
        self.client.post(self.url, settings_form())
        weekdays = Centre.objects.get(clinic=self.clinic).hours.values_list("weekday", flat=True)
        self.assertEqual(sorted(weekdays), [0, 2])

    def test_it_shows_the_current_hours(self) -> None:
        make_centre(self.clinic)
        self.login(self.clinic_admin)
        response = self.client.get(self.url)
        self.assertContains(response, 'value="08:00"')
        self.assertContains(response, 'value="12 Anna Salai"', count=0)  # a textarea
        self.assertContains(response, "12 Anna Salai")

    def test_it_refuses_half_given_or_backwards_hours_and_keeps_what_was_typed(self) -> None:
        make_centre(self.clinic)
        self.login(self.clinic_admin)
        data = settings_form(opens_1="10:00", opens_2="18:00", closes_2="09:00")
        response = self.client.post(self.url, data)
        self.assertContains(response, "Tuesday: enter an opening time before the closing time")
        self.assertContains(response, "Wednesday: enter an opening time before the closing time")
        self.assertContains(response, 'value="Coimbatore"')
        self.assertEqual(Centre.objects.get(clinic=self.clinic).city, "Chennai")
        self.assertEqual(Centre.objects.get(clinic=self.clinic).hours.count(), 7)

    def test_it_says_how_to_write_a_pin_code(self) -> None:
        self.login(self.clinic_admin)
        response = self.client.post(self.url, settings_form(pincode="60002"))
        self.assertContains(response, "Enter the six-digit PIN code")

    def test_it_is_linked_from_the_day_list_for_the_administrator_only(self) -> None:
        day_list = reverse("desk:day", args=["demo-centre"])
        self.login(self.clinic_admin)
        self.assertContains(self.client.get(day_list), self.url)
        self.login(self.screener)
        self.assertNotContains(self.client.get(day_list), self.url)

    def test_it_is_for_the_centres_administrator_only(self) -> None:
        for user in [self.screener, self.doctor, self.outsider_staff, self.charlie]:
            self.login(user)
            self.assertEqual(self.client.post(self.url, settings_form()).status_code, 404)
        self.assertFalse(Centre.objects.filter(city="Coimbatore").exists())
        self.client.logout()
        response = self.client.get(self.url)
        self.assertIn(reverse("account_login"), response["Location"])
