"""Booking online without an account: the form, its refusals, the confirmation by e-mail
and SMS in the patient's language, the private link and cancelling."""

from __future__ import annotations

import json

from django.http import HttpResponseBase
from django.test import override_settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from carewatch.eyes.booking.models import Booking, Centre, Status
from tests.base import BaseTestCase
from tests.eyes.booking.helpers import (
    form_data,
    in_days,
    local,
    make_booking,
    make_centre,
    next_weekday,
)
from tests.mailbox import body_text, smtp_server
from tests.notify.servers import HttpReceiver


class BookingTests(BaseTestCase):
    centre: Centre
    url: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.centre = make_centre(cls.clinic, per_slot=1, closed=(6,), directions="Bring glasses.")
        cls.url = reverse("booking:book", args=["demo-centre"])

    def book(self, data: dict[str, str]) -> HttpResponseBase:
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, data, follow=True)

    def test_it_books_a_free_slot_and_shows_the_reference(self) -> None:
        start = in_days(2, 11)
        response = self.book(form_data(start))
        booking = Booking.objects.get()
        self.assertEqual(booking.start, start)
        self.assertEqual(booking.status, Status.BOOKED)
        self.assertEqual(booking.phone, "+919876543210")
        self.assertRedirects(response, reverse("booking:private", args=[booking.token]))
        self.assertContains(response, "Your screening is booked.")
        self.assertContains(response, booking.reference)
        self.assertGreaterEqual(len(booking.token), 32)

    def test_it_preselects_the_time_chosen_on_the_centre_page(self) -> None:
        start = in_days(2, 11)
        response = self.client.get(self.url, {"slot": start.isoformat()})
        self.assertContains(response, f'<option value="{start.isoformat()}" selected>')

    def test_it_warns_before_typing_when_a_link_names_a_time_that_cannot_be_booked(
        self,
    ) -> None:
        start = in_days(2, 11)
        make_booking(self.centre, start, name="Someone Else")
        response = self.client.get(self.url, {"slot": start.isoformat()})
        self.assertContains(response, "That time is fully booked")
        response = self.client.get(self.url, {"slot": "2026-13-45"})
        self.assertContains(response, "That time is not one we know")
        response = self.client.get(self.url, {"slot": in_days(2, 11, 30).isoformat()})
        self.assertNotContains(response, 'class="message')

    def test_it_sends_the_confirmation_by_email_in_the_patients_language(self) -> None:
        start = in_days(2, 11)
        with smtp_server() as mailbox:
            self.book(form_data(start, language="hi", phone=""))
        [message] = mailbox.messages
        booking = Booking.objects.get()
        self.assertEqual(message["To"], "lakshmi@example.org")
        text = body_text(message)
        self.assertIn(booking.reference, text)
        self.assertIn(f"/eyes/centres/bookings/{booking.token}/", text)
        self.assertIn("Bring glasses.", text)
        with translation.override("hi"):
            weekday = formats.date_format(timezone.localtime(start), "l")
        self.assertNotEqual(weekday, start.strftime("%A"))  # Django knows Hindi day names
        self.assertIn(weekday, message["Subject"])

    def test_it_sends_the_confirmation_by_sms_to_the_normalised_number(self) -> None:
        start = in_days(2, 11)
        with (
            HttpReceiver() as provider,
            override_settings(SMS_API_URL=provider.url("/sms"), SMS_API_TOKEN="t"),
        ):
            self.book(form_data(start, email=""))
        [request] = provider.requests
        body = json.loads(request.body)
        booking = Booking.objects.get()
        self.assertEqual(body["to"], "+919876543210")
        self.assertIn(booking.reference, body["text"])
        self.assertIn(booking.token, body["text"])

    def assert_refused(self, data: dict[str, str], sentence: str) -> None:
        response = self.book(data)
        self.assertContains(response, sentence)
        self.assertContains(response, 'value="Lakshmi Narayan"')  # nothing typed is lost
        self.assertFalse(Booking.objects.filter(name="Lakshmi Narayan").exists())

    def test_it_refuses_a_time_that_has_passed(self) -> None:
        self.assert_refused(form_data(in_days(-1, 10)), "That time has already passed")

    def test_it_refuses_a_full_slot(self) -> None:
        start = in_days(2, 11)
        make_booking(self.centre, start, name="Someone Else")
        self.assert_refused(form_data(start), "That time is fully booked")

    def test_it_refuses_a_day_the_centre_is_closed(self) -> None:
        sunday = local(next_weekday(6), 10)
        self.assert_refused(form_data(sunday), "The centre is closed at that time")

    def test_it_refuses_a_time_outside_the_opening_hours(self) -> None:
        self.assert_refused(form_data(in_days(2, 21)), "The centre is closed at that time")

    def test_it_refuses_a_malformed_time(self) -> None:
        self.assert_refused(form_data("tomorrow-ish"), "That time is not one we know")

    def test_it_asks_for_a_phone_or_an_email(self) -> None:
        data = form_data(in_days(2, 11), phone="", email="")
        self.assert_refused(data, "Enter a mobile number or an e-mail address")

    def test_it_says_how_to_write_a_phone_number_it_cannot_read(self) -> None:
        data = form_data(in_days(2, 11), phone="12345")
        self.assert_refused(data, "Enter a 10-digit mobile number")

    def test_it_refuses_a_date_of_birth_in_the_future(self) -> None:
        data = form_data(in_days(2, 11), date_of_birth="2999-01-01")
        self.assert_refused(data, "Enter the date of birth as day, month and year.")


class PrivateLinkTests(BaseTestCase):
    centre: Centre

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.centre = make_centre(cls.clinic, per_slot=1)

    def setUp(self) -> None:
        super().setUp()
        self.start = in_days(3, 9)
        self.booking = make_booking(self.centre, self.start)
        self.page = reverse("booking:private", args=[self.booking.token])
        self.cancel_url = reverse("booking:cancel", args=[self.booking.token])

    def test_it_shows_the_booking_to_whoever_has_the_link(self) -> None:
        response = self.client.get(self.page)
        self.assertContains(response, self.booking.reference)
        self.assertContains(response, "Cancel this booking")

    def test_it_does_not_find_a_booking_by_a_wrong_token_or_its_reference(self) -> None:
        for token in ["wrong-token", self.booking.reference, str(self.booking.pk)]:
            response = self.client.get(reverse("booking:private", args=[token]))
            self.assertContains(response, "This booking link is not valid", status_code=404)
            response = self.client.post(reverse("booking:cancel", args=[token]))
            self.assertEqual(response.status_code, 404)
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.status, Status.BOOKED)

    def test_it_cancels_and_frees_the_slot(self) -> None:
        self.assertNotIn(self.start, [s.start for s in self.centre.free_slots(timezone.now())])
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.cancel_url, follow=True)
        self.assertContains(response, "Your booking is cancelled")
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.status, Status.CANCELLED)
        self.assertIn(self.start, [s.start for s in self.centre.free_slots(timezone.now())])
        self.assertIn("is cancelled", mailbox.messages[0]["Subject"])
        make_booking(self.centre, self.start, name="Next Patient")  # the place is free again

    def test_it_says_so_when_a_used_link_cancels_again(self) -> None:
        self.client.post(self.cancel_url)
        response = self.client.post(self.cancel_url, follow=True)
        self.assertContains(response, "already cancelled or used: nothing changed")
        self.assertNotContains(response, "Cancel this booking")

    def test_it_does_not_cancel_on_a_plain_visit_of_the_cancel_link(self) -> None:
        self.assertEqual(self.client.get(self.cancel_url).status_code, 405)
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.status, Status.BOOKED)


class MoveTests(BaseTestCase):
    centre: Centre

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.centre = make_centre(cls.clinic, per_slot=1)

    def setUp(self) -> None:
        super().setUp()
        self.start = in_days(3, 9)
        self.booking = make_booking(self.centre, self.start)
        self.move_url = reverse("booking:move", args=[self.booking.token])

    def test_it_moves_the_booking_frees_the_old_time_and_sends_the_new_one(self) -> None:
        later = in_days(4, 15)
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.move_url, {"slot": later.isoformat()}, follow=True)
        self.assertContains(response, "Your booking is moved")
        self.booking.refresh_from_db()
        self.assertEqual((self.booking.start, self.booking.status), (later, Status.BOOKED))
        free = [s.start for s in self.centre.free_slots(timezone.now())]
        self.assertIn(self.start, free)
        self.assertNotIn(later, free)
        [message] = mailbox.messages
        self.assertIn(self.booking.reference, body_text(message))

    def test_it_refuses_a_full_time_and_keeps_the_booking_as_it_was(self) -> None:
        taken = in_days(4, 15)
        make_booking(self.centre, taken, name="Someone Else")
        response = self.client.post(self.move_url, {"slot": taken.isoformat()})
        self.assertContains(response, "That time is fully booked")
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.start, self.start)

    def test_it_does_not_move_a_cancelled_booking_or_one_with_a_wrong_token(self) -> None:
        later = in_days(4, 15).isoformat()
        bad = reverse("booking:move", args=["not-the-token"])
        self.assertEqual(self.client.post(bad, {"slot": later}).status_code, 404)
        self.client.post(reverse("booking:cancel", args=[self.booking.token]))
        response = self.client.post(self.move_url, {"slot": later}, follow=True)
        self.assertContains(response, "already cancelled or used: nothing changed")
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.start, self.start)
