"""The public centre finder and a centre's free times: no account needed."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse

from carewatch.eyes.booking.models import Centre, OpeningHours
from carewatch.platform.accounts.models import Clinic
from tests.base import BaseTestCase
from tests.eyes.booking.helpers import in_days, make_booking, make_centre


class FinderTests(BaseTestCase):
    centre: Centre
    madurai: Centre

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.centre = make_centre(cls.clinic, closed=(6,), phone="+91 44 2345 6789")
        madurai = Clinic.objects.create(name="Madurai Eye Care", slug="madurai")
        cls.madurai = make_centre(madurai, city="Madurai", pincode="625001", price_rupees=150)
        make_centre(cls.other_clinic, public=False, city="Chennai", pincode="600004")

    def test_it_lists_public_centres_with_address_hours_and_price(self) -> None:
        response = self.client.get(reverse("booking:centres"))
        self.assertContains(response, "Demo Centre")
        self.assertContains(response, "12 Anna Salai, Chennai 600002")
        self.assertContains(response, "08:00–20:00")
        self.assertContains(response, "Closed")  # Sunday
        self.assertContains(response, "Free")
        self.assertContains(response, "₹150 per screening")

    def test_it_leaves_out_centres_that_are_not_public(self) -> None:
        response = self.client.get(reverse("booking:centres"))
        self.assertNotContains(response, "Other Centre")

    def test_it_finds_centres_by_city_in_any_case(self) -> None:
        response = self.client.get(reverse("booking:centres"), {"q": "madurai"})
        self.assertContains(response, "Madurai Eye Care")
        self.assertNotContains(response, "Demo Centre")

    def test_it_finds_centres_by_the_first_digits_of_the_pin_code(self) -> None:
        response = self.client.get(reverse("booking:centres"), {"q": "6000"})
        self.assertContains(response, "Demo Centre")
        self.assertNotContains(response, "Madurai Eye Care")

    def test_it_says_what_to_try_when_nothing_matches(self) -> None:
        response = self.client.get(reverse("booking:centres"), {"q": "Atlantis"})
        self.assertContains(response, "No screening centre matches")
        self.assertContains(response, "first digits of your PIN code")

    def test_it_shows_a_centres_free_times_with_links_to_book(self) -> None:
        start = in_days(1, 10)
        response = self.client.get(reverse("booking:centre", args=["demo-centre"]))
        self.assertContains(response, "+91 44 2345 6789")
        book = reverse("booking:book", args=["demo-centre"])
        self.assertContains(response, f"{book}?slot={quote(start.isoformat())}")

    def test_it_hides_a_full_slot(self) -> None:
        start = in_days(1, 10)
        make_booking(self.centre, start)
        make_booking(self.centre, start)
        response = self.client.get(reverse("booking:centre", args=["demo-centre"]))
        self.assertNotContains(response, quote(start.isoformat()))
        self.assertContains(response, quote(in_days(1, 10, 30).isoformat()))

    def test_it_says_so_when_a_centre_has_no_hours(self) -> None:
        OpeningHours.objects.filter(centre=self.madurai).delete()
        response = self.client.get(reverse("booking:centre", args=["madurai"]))
        self.assertContains(response, "No free times in the next two weeks")

    def test_it_answers_an_unknown_centre_with_404_and_a_way_on(self) -> None:
        response = self.client.get(reverse("booking:centre", args=["nowhere"]))
        self.assertContains(response, "We do not know that screening centre", status_code=404)

    def test_it_answers_a_centre_that_is_not_public_with_404(self) -> None:
        response = self.client.get(reverse("booking:centre", args=["other-centre"]))
        self.assertEqual(response.status_code, 404)
        response = self.client.get(reverse("booking:book", args=["other-centre"]))
        self.assertEqual(response.status_code, 404)

    def test_it_links_the_eyes_page_to_the_finder(self) -> None:
        response = self.client.get(reverse("eyes:about"))
        self.assertContains(response, reverse("booking:centres"))
