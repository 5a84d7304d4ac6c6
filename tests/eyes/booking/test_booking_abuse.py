"""The public booking form is no relay for spam: bookings are limited per connection and
per contact, a contact holds few open bookings, and only a booking confirmed through its
private link gets reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from carewatch.eyes.booking import limits
from carewatch.eyes.booking.models import Booking
from carewatch.eyes.booking.tasks import send_reminders
from tests.base import BaseTestCase
from tests.eyes.booking.helpers import form_data, in_days, make_centre
from tests.mailbox import smtp_server


class BookingAbuseTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.centre = make_centre(cls.clinic, per_slot=50)
        cls.url = reverse("booking:book", args=["demo-centre"])

    def post(self, hour: int, address: str = "203.0.113.9", **fields: str) -> Any:
        data = form_data(in_days(2, hour), **fields)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, data, REMOTE_ADDR=address)

    def test_one_connection_cannot_send_forty_bookings_to_forty_strangers(self) -> None:
        with smtp_server() as mailbox:
            answers = [
                self.post(8 + n % 12, email=f"victim{n}@example.org", phone="").status_code
                for n in range(40)
            ]
        self.assertEqual(answers.count(302), limits.PER_ADDRESS_PER_HOUR)
        self.assertEqual(len(mailbox.messages), limits.PER_ADDRESS_PER_HOUR)
        refused = self.post(9, email="one-more@example.org", phone="")
        self.assertContains(refused, "Too many bookings from this connection", status_code=429)

    def test_one_contact_cannot_be_flooded_from_many_connections(self) -> None:
        with smtp_server() as mailbox:
            for n in range(10):
                address = f"198.51.100.{n}"
                self.post(8 + n, address=address, email="Victim@Example.org", phone="")
        self.assertEqual(Booking.objects.count(), limits.OPEN_PER_CONTACT)
        self.assertEqual(len(mailbox.messages), limits.OPEN_PER_CONTACT)
        refused = self.post(19, address="192.0.2.1", email="victim@example.org", phone="")
        self.assertContains(refused, "already has 2 upcoming bookings")

    def test_the_same_phone_written_differently_is_the_same_contact(self) -> None:
        for n, phone in enumerate(["98765 43210", "+91 98765 43210", "+919876543210"]):
            self.post(8 + n, address=f"198.51.100.{n}", phone=phone, email=f"x{n}@example.org")
        self.assertEqual(Booking.objects.count(), limits.OPEN_PER_CONTACT)

    def test_cancelling_and_booking_again_in_a_loop_stops_for_the_day(self) -> None:
        for n in range(limits.NEW_PER_CONTACT_PER_DAY + 2):
            self.post(8 + n, address=f"198.51.100.{n}")
            for booking in Booking.objects.filter(status="booked"):
                self.client.post(reverse("booking:cancel", args=[booking.token]))
        self.assertEqual(Booking.objects.count(), limits.NEW_PER_CONTACT_PER_DAY)
        refused = self.post(19, address="192.0.2.1")
        self.assertContains(refused, "Too many bookings were made today")

    def test_only_a_booking_confirmed_through_its_link_is_reminded(self) -> None:
        self.post(10)
        booking = Booking.objects.get()
        Booking.objects.filter(pk=booking.pk).update(created=in_days(-3, 9))
        eve = booking.start - dt.timedelta(hours=20)
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(send_reminders(eve), 0)
        self.assertContains(self.client.get(booking.get_absolute_url()), "Confirm")
        self.client.post(reverse("booking:confirm", args=[booking.token]))
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(send_reminders(eve), 1)
        self.assertEqual([m["To"] for m in mailbox.messages], ["lakshmi@example.org"])

    def test_a_wrong_token_confirms_nothing(self) -> None:
        self.post(10)
        response = self.client.post(reverse("booking:confirm", args=["not-a-token"]))
        self.assertEqual(response.status_code, 404)
        self.assertIsNone(Booking.objects.get().confirmed_at)


class RacingBookingTests(BaseTestCase):
    def test_parallel_bookings_for_one_contact_stop_at_the_daily_allowance(self) -> None:
        """Requests that all read "no bookings yet" before any was saved: the cache's
        atomic counter, not the database count, stops the ones beyond the allowance."""
        answers = [
            limits.contact_over_limit("Victim@Example.org", "")
            for _ in range(limits.NEW_PER_CONTACT_PER_DAY + 3)
        ]
        self.assertEqual(answers.count(False), limits.NEW_PER_CONTACT_PER_DAY)
        self.assertTrue(limits.contact_over_limit("victim@example.org", "+919876543210"))
        self.assertFalse(limits.contact_over_limit("someone@example.org", "+919876543210"))
