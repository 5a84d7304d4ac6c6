"""Dates at the ends of the calendar (9999-12-31, 0001-01-01) typed into an address or a
form get a sentence, never a server error: on the history page, the desk's day list and
the public booking pages (which need no login)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from carewatch.eyes.booking.models import Booking
from tests.eyes.booking.helpers import form_data, in_days, make_booking, make_centre
from tests.kids.tracker.base import TrackerTestCase

EXTREMES = ["9999-12-31", "0001-01-01"]
TIMES = [
    "9999-12-31T23:59",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00",
    "0001-01-01T00:00:00-12:00",
    "0001-01-01T00:00:00+14:00",
]


class ExtremeDateTests(TrackerTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.centre = make_centre(cls.clinic)

    def setUp(self) -> None:
        super().setUp()
        self.client = Client(raise_request_exception=False)

    def test_the_history_page_explains_a_date_it_cannot_show(self) -> None:
        self.login(self.alice)
        url = reverse("tracker:history", args=[self.family.pk])
        for day in EXTREMES:
            response = self.client.get(url, {"device": self.device.pk, "date": day})
            self.assertContains(response, "choose a day", status_code=400, msg_prefix=day)

    def test_the_desk_explains_a_day_it_cannot_list(self) -> None:
        self.login(self.screener)
        for day in EXTREMES:
            response = self.client.get(reverse("desk:day", args=["demo-centre"]), {"day": day})
            self.assertEqual(response.status_code, 200, day)
            self.assertContains(response, "here is today", msg_prefix=day)

    def test_the_public_booking_form_explains_a_time_it_cannot_book(self) -> None:
        url = reverse("booking:book", args=["demo-centre"])
        for start in TIMES:
            page = self.client.get(url, {"slot": start})
            self.assertEqual(page.status_code, 200, start)
            posted = self.client.post(url, form_data(start))
            self.assertEqual(posted.status_code, 200, start)
            self.assertContains(posted, "choose a", msg_prefix=start)
        self.assertFalse(Booking.objects.exists())

    def test_moving_a_booking_explains_a_time_it_cannot_take(self) -> None:
        booking = make_booking(self.centre, in_days(2, 10))
        for start in TIMES:
            response = self.client.post(
                reverse("booking:move", args=[booking.token]), {"slot": start}
            )
            self.assertEqual(response.status_code, 200, start)
        booking.refresh_from_db()
        self.assertEqual(booking.start, in_days(2, 10))

    def test_a_birth_date_at_the_ends_of_the_calendar_is_refused_with_a_sentence(self) -> None:
        url = reverse("booking:book", args=["demo-centre"])
        for day in EXTREMES:
            response = self.client.post(url, form_data(in_days(2, 10), date_of_birth=day))
            self.assertContains(response, "Enter the date of birth", msg_prefix=day)
