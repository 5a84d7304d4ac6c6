"""The demo clinic is listed in the finder with its hours."""

from __future__ import annotations

from django.urls import reverse

from carewatch.eyes.booking.demo import load_demo_centres
from carewatch.eyes.booking.models import Centre, OpeningHours
from tests.base import BaseTestCase


class DemoCentreTests(BaseTestCase):
    def test_it_makes_the_demo_clinic_public_with_hours_and_free_times(self) -> None:
        load_demo_centres()
        load_demo_centres()  # the demo starts again: still one of each
        self.assertEqual(Centre.objects.count(), 1)
        self.assertEqual(OpeningHours.objects.count(), 6)
        response = self.client.get(reverse("booking:centres"), {"q": "600002"})
        self.assertContains(response, "Demo Centre")
        response = self.client.get(reverse("booking:centre", args=["demo-centre"]))
        self.assertContains(response, reverse("booking:book", args=["demo-centre"]) + "?slot=")
