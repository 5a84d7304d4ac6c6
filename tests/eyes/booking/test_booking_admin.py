"""The site admin edits centres (with their hours) and sees bookings, never their tokens."""

from __future__ import annotations

from django.urls import reverse

from carewatch.platform.accounts.models import User
from tests.base import BaseTestCase, with_authenticator
from tests.eyes.booking.helpers import in_days, make_booking, make_centre


class BookingAdminTests(BaseTestCase):
    def test_it_edits_a_centre_with_its_hours_and_hides_booking_tokens(self) -> None:
        centre = make_centre(self.clinic)
        booking = make_booking(centre, in_days(1, 10))
        admin = with_authenticator(User.objects.create_superuser("root@example.org", "pw-9"))
        self.login(admin)
        response = self.client.get(reverse("admin:booking_centre_change", args=[centre.pk]))
        self.assertContains(response, "Opening hours")
        self.assertContains(response, "600002")
        response = self.client.get(reverse("admin:booking_booking_change", args=[booking.pk]))
        self.assertContains(response, booking.reference)
        self.assertNotContains(response, booking.token)

    def test_it_keeps_clinic_staff_out_of_the_admin(self) -> None:
        self.login(self.clinic_admin)
        response = self.client.get(reverse("admin:booking_centre_changelist"))
        self.assertEqual(response.status_code, 302)
