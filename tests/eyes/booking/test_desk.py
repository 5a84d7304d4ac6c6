"""The desk's day list: today's bookings and walk-ins, check-in through registration or
an existing patient, no-shows; the centre's own staff only."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from carewatch.eyes.booking.models import Booking, Centre, Status
from carewatch.eyes.screening.models import AuditEntry, Patient
from tests.base import BaseTestCase
from tests.eyes.booking.helpers import in_days, make_booking, make_centre
from tests.eyes.helpers import make_patient


def registration(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Lakshmi Narayan",
        "date_of_birth": "1961-05-14",
        "sex": "female",
        "phone": "+919876543210",
        "email": "lakshmi@example.org",
        "language": "en",
        "diabetes_type": "type2",
        "diabetes_since": "2010",
        "consent_screening": "on",
    }
    return data | overrides


class DeskTests(BaseTestCase):
    centre: Centre
    other_centre: Centre
    day_url: str
    register_url: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.centre = make_centre(cls.clinic)
        cls.other_centre = make_centre(cls.other_clinic)
        cls.day_url = reverse("desk:day", args=["demo-centre"])
        cls.register_url = reverse("screening:register", args=["demo-centre"])

    def setUp(self) -> None:
        super().setUp()
        self.booking = make_booking(self.centre, in_days(0, 19, 30), language="hi")
        self.login(self.screener)

    def test_it_lists_todays_bookings_with_their_status(self) -> None:
        make_booking(self.centre, in_days(1, 10), name="Tomorrow Person")
        response = self.client.get(self.day_url)
        self.assertContains(response, "Lakshmi Narayan")
        self.assertContains(response, self.booking.reference)
        self.assertContains(response, "Booked")
        self.assertNotContains(response, "Tomorrow Person")
        self.assertTrue(AuditEntry.objects.filter(action="desk.view").exists())

    def test_it_shows_another_day_and_ignores_a_malformed_day(self) -> None:
        tomorrow = in_days(1, 10)
        make_booking(self.centre, tomorrow, name="Tomorrow Person")
        response = self.client.get(self.day_url, {"day": tomorrow.date().isoformat()})
        self.assertContains(response, "Tomorrow Person")
        response = self.client.get(self.day_url, {"day": "31-02-2026"})
        self.assertContains(response, "That date is not valid: here is today&#x27;s list.")
        self.assertContains(response, "Lakshmi Narayan")

    def test_it_prefills_registration_from_the_booking(self) -> None:
        response = self.client.get(self.register_url, {"booking": self.booking.pk})
        self.assertContains(response, 'value="Lakshmi Narayan"')
        self.assertContains(response, 'value="1961-05-14"')
        self.assertContains(response, 'value="+919876543210"')
        self.assertContains(response, 'value="lakshmi@example.org"')
        self.assertContains(response, '<option value="hi" selected>')

    def test_it_marks_the_booking_arrived_when_the_patient_is_registered(self) -> None:
        url = f"{self.register_url}?booking={self.booking.pk}"
        response = self.client.post(url, registration())
        patient = Patient.objects.get(clinic=self.clinic)
        self.assertRedirects(
            response, reverse("screening:patient", args=["demo-centre", patient.pk])
        )
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.status, Status.ARRIVED)
        self.assertEqual(self.booking.patient, patient)
        response = self.client.get(self.day_url)
        self.assertContains(response, "Arrived")
        self.assertContains(
            response, reverse("screening:patient", args=["demo-centre", patient.pk])
        )

    def test_it_records_a_new_walk_in_as_an_arrival_of_the_day(self) -> None:
        response = self.client.get(self.day_url)
        self.assertContains(response, f"{self.register_url}?walk_in=1")
        self.client.post(f"{self.register_url}?walk_in=1", registration(name="Walk In"))
        walk_in = Booking.objects.get(walk_in=True)
        self.assertEqual(walk_in.status, Status.ARRIVED)
        self.assertEqual(walk_in.patient, Patient.objects.get(name="Walk In"))
        self.assertIsNone(walk_in.seat)  # takes no booked place
        self.assertEqual(timezone.localtime(walk_in.start).date(), timezone.localdate())
        response = self.client.get(self.day_url)
        self.assertContains(response, "Walk In")

    def test_it_offers_check_in_to_a_registered_patient_with_the_same_phone(self) -> None:
        patient = make_patient(self.clinic, self.screener)
        Patient.objects.filter(pk=patient.pk).update(phone="098765 43210")
        response = self.client.get(self.day_url)
        self.assertContains(response, f"Check in as {patient.number}")
        arrive = reverse("desk:arrive", args=["demo-centre", self.booking.pk])
        response = self.client.post(arrive, {"patient": patient.pk})
        self.assertRedirects(
            response, reverse("screening:patient", args=["demo-centre", patient.pk])
        )
        self.booking.refresh_from_db()
        self.assertEqual((self.booking.status, self.booking.patient), (Status.ARRIVED, patient))
        self.assertTrue(AuditEntry.objects.filter(action="booking.arrive", patient=patient))

    def test_it_finds_a_registered_walk_in_by_phone_and_records_the_arrival(self) -> None:
        patient = make_patient(self.clinic, self.screener)  # phone +919800000001
        response = self.client.get(self.day_url, {"phone": "98000 00001"})
        walk_in_url = reverse("desk:walk_in", args=["demo-centre", patient.pk])
        self.assertContains(response, walk_in_url)
        self.client.post(walk_in_url)
        self.assertEqual(Booking.objects.get(walk_in=True).patient, patient)

    def test_it_says_what_to_do_when_no_patient_has_the_phone(self) -> None:
        response = self.client.get(self.day_url, {"phone": "91234 56789"})
        self.assertContains(response, "No registered patient has this mobile number")
        response = self.client.get(self.day_url, {"phone": "12"})
        self.assertContains(response, "Enter a 10-digit mobile number")

    def test_it_marks_a_booking_that_did_not_come(self) -> None:
        no_show = reverse("desk:no_show", args=["demo-centre", self.booking.pk])
        response = self.client.post(no_show, follow=True)
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.status, Status.NO_SHOW)
        self.assertContains(response, "Did not come")
        response = self.client.post(no_show, follow=True)
        self.assertContains(response, "Only a booking still waiting can be marked")

    def test_it_links_the_patient_list_to_the_day_list(self) -> None:
        response = self.client.get(reverse("screening:patients", args=["demo-centre"]))
        self.assertContains(response, self.day_url)


class DeskOutsiderTests(BaseTestCase):
    centre: Centre
    booking: Booking
    patient: Patient
    other_booking: Booking
    other_patient: Patient

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.centre = make_centre(cls.clinic)
        cls.booking = make_booking(cls.centre, in_days(1, 10))
        cls.patient = make_patient(cls.clinic, cls.screener)
        other = make_centre(cls.other_clinic)
        cls.other_booking = make_booking(other, in_days(1, 10))
        cls.other_patient = make_patient(cls.other_clinic, cls.outsider_staff, number="P9")

    def urls(self) -> list[tuple[str, str]]:
        slug = "demo-centre"
        return [
            ("get", reverse("desk:day", args=[slug])),
            ("get", reverse("desk:settings", args=[slug])),
            ("post", reverse("desk:arrive", args=[slug, self.booking.pk])),
            ("post", reverse("desk:no_show", args=[slug, self.booking.pk])),
            ("post", reverse("desk:walk_in", args=[slug, self.patient.pk])),
        ]

    def test_it_sends_anonymous_visitors_to_log_in(self) -> None:
        for method, url in self.urls():
            response = getattr(self.client, method)(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("account_login"), response["Location"])

    def test_it_answers_another_centres_staff_and_families_with_404(self) -> None:
        for user in [self.outsider_staff, self.charlie, self.alice]:
            self.login(user)
            for method, url in self.urls():
                self.assertEqual(getattr(self.client, method)(url).status_code, 404, url)
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.status, Status.BOOKED)
        self.assertFalse(Booking.objects.filter(walk_in=True).exists())

    def test_it_does_not_reach_another_centres_booking_or_patient_from_here(self) -> None:
        self.login(self.screener)
        register = reverse("screening:register", args=["demo-centre"])
        response = self.client.get(register, {"booking": self.other_booking.pk})
        self.assertEqual(response.status_code, 404)
        arrive = reverse("desk:arrive", args=["demo-centre", self.other_booking.pk])
        self.assertEqual(self.client.post(arrive, {"patient": self.patient.pk}).status_code, 404)
        arrive = reverse("desk:arrive", args=["demo-centre", self.booking.pk])
        response = self.client.post(arrive, {"patient": self.other_patient.pk})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.post(arrive, {"patient": "x"}).status_code, 404)
        walk_in = reverse("desk:walk_in", args=["demo-centre", self.other_patient.pk])
        self.assertEqual(self.client.post(walk_in).status_code, 404)
        self.other_booking.refresh_from_db()
        self.assertEqual(self.other_booking.status, Status.BOOKED)
