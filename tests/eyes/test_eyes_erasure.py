"""A centre admin erases a patient on request: everything goes, the audit trail stays."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from carewatch.eyes.portal import links
from carewatch.eyes.screening.models import (
    AuditEntry,
    Consent,
    Grading,
    Image,
    Patient,
    Visit,
)
from carewatch.platform.accounts.models import ClinicMembership, ClinicRole
from carewatch.platform.notify import direct
from carewatch.platform.notify.models import Notification
from tests.base import BaseTestCase, make_user
from tests.eyes.factories.photos import grade
from tests.eyes.factories.reports import signed_report
from tests.eyes.helpers import (
    add_photo,
    make_patient,
    make_visit,
)

SLUG = "demo-centre"
REASON = "Asked in writing at the desk."


class ErasureTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener, number="P9")
        visit = make_visit(self.patient, self.screener)
        with self.captureOnCommitCallbacks():  # no grading task: gradings are made below
            images = [
                add_photo(visit, "right", self.screener),
                add_photo(visit, "left", self.screener, 30),
            ]
        gradings = [grade(image) for image in images]
        signed_report(visit, self.doctor)
        signed_report(visit, self.doctor, version=2)  # an amendment
        self.files = [Path(f.path) for i in images for f in (i.photo, i.thumbnail)]
        self.files += [Path(g.heatmap.path) for g in gradings]
        self.keeper = make_patient(self.clinic, self.screener, number="P10", name="Kept Person")
        keeper_visit = make_visit(self.keeper, self.screener)
        with self.captureOnCommitCallbacks():
            self.kept_image = add_photo(keeper_visit, "right", self.screener, 60)
        self.url = reverse("screening:erase", args=[SLUG, self.patient.pk])

    def erase(self, number: str = "P9", reason: str = REASON):
        self.login(self.clinic_admin)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, {"number": number, "reason": reason})

    def test_it_removes_everything_about_the_patient_and_their_files(self) -> None:
        self.assertTrue(all(f.exists() for f in self.files))
        response = self.erase()
        self.assertRedirects(response, reverse("screening:patients", args=[SLUG]))
        self.assertFalse(Patient.objects.filter(number="P9").exists())
        self.assertEqual(list(Visit.objects.values_list("patient", flat=True)), [self.keeper.pk])
        self.assertEqual(list(Image.objects.all()), [self.kept_image])
        self.assertFalse(Grading.objects.exists())
        self.assertFalse(Consent.objects.filter(patient__number="P9").exists())
        self.assertFalse(apps.get_model("review", "SignedReport").objects.exists())
        self.assertEqual([f for f in self.files if f.exists()], [])
        self.assertTrue(Path(self.kept_image.photo.path).exists())

    def test_it_keeps_one_erasure_entry_and_the_earlier_entries_with_the_number(self) -> None:
        self.login(self.doctor)
        self.client.get(reverse("screening:patient", args=[SLUG, self.patient.pk]))
        self.erase()
        entry = AuditEntry.objects.get(action="patient.erase")
        self.assertEqual(
            (entry.who, entry.user, entry.patient, entry.patient_number, entry.note),
            ("admin@example.org", self.clinic_admin, None, "P9", REASON),
        )
        earlier = AuditEntry.objects.filter(action="patient.view", who="doctor@example.org")
        self.assertEqual(list(earlier.values_list("patient_number", "patient")), [("P9", None)])

    def test_it_removes_the_patients_booking_with_their_contact_details(self) -> None:
        if not apps.is_installed("carewatch.eyes.booking"):
            self.skipTest("The booking app is not installed.")
        centre = apps.get_model("booking", "Centre").objects.create(
            clinic=self.clinic, address="1 Main Road", city="Chennai", pincode="600001"
        )
        booking = apps.get_model("booking", "Booking").objects.create(
            centre=centre,
            start=timezone.now() - timedelta(hours=1),
            name="Meena Iyer",
            date_of_birth=self.patient.date_of_birth,
            phone=self.patient.phone,
            patient=self.patient,
        )
        self.erase()
        self.assertFalse(type(booking).objects.filter(pk=booking.pk).exists())

    def test_it_removes_the_messages_sent_to_the_patient_with_their_address(self) -> None:
        self.patient.email = "p9@example.org"
        self.patient.save()
        with self.captureOnCommitCallbacks(execute=True):
            links.send_link(self.patient)
            links.send_link(self.keeper)
        self.erase()
        self.assertFalse(Notification.objects.filter(address="p9@example.org").exists())
        self.assertEqual(Notification.objects.filter(topic=direct.topic(self.keeper)).count(), 1)

    def test_it_asks_for_the_exact_patient_number(self) -> None:
        response = self.erase(number="P10")
        self.assertContains(response, "This is not this patient&#x27;s number: type P9 exactly")
        self.assertTrue(Patient.objects.filter(number="P9").exists())
        self.assertTrue(all(f.exists() for f in self.files))
        self.assertFalse(AuditEntry.objects.filter(action="patient.erase").exists())

    def test_it_asks_for_a_reason(self) -> None:
        response = self.erase(reason="   ")
        self.assertContains(response, "Write why the patient")
        self.assertTrue(Patient.objects.filter(number="P9").exists())

    def test_it_shows_what_will_go_before_asking(self) -> None:
        self.login(self.clinic_admin)
        page = self.client.get(self.url)
        self.assertContains(page, "Meena Iyer (P9)")
        self.assertContains(page, "2 photos")
        self.assertContains(page, "cannot be undone")

    def test_it_offers_erasure_on_the_patient_page_to_the_admin_only(self) -> None:
        patient_page = reverse("screening:patient", args=[SLUG, self.patient.pk])
        self.login(self.clinic_admin)
        self.assertContains(self.client.get(patient_page), self.url)
        self.login(self.screener)
        self.assertNotContains(self.client.get(patient_page), self.url)


class ErasureOutsiderTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener, number="P9")
        self.url = reverse("screening:erase", args=[SLUG, self.patient.pk])
        self.form = {"number": "P9", "reason": REASON}

    def test_it_sends_anonymous_visitors_to_log_in(self) -> None:
        for response in (self.client.get(self.url), self.client.post(self.url, self.form)):
            self.assertRedirects(response, f"/accounts/login/?next={self.url}")
        self.assertTrue(Patient.objects.exists())

    def test_it_refuses_screeners_doctors_and_other_centres(self) -> None:
        other_admin = make_user("other-admin@example.org")
        ClinicMembership.objects.create(
            clinic=self.other_clinic, user=other_admin, role=ClinicRole.ADMIN
        )
        for user in (self.screener, self.doctor, self.outsider_staff, other_admin, self.alice):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404, user)
            self.assertEqual(self.client.post(self.url, self.form).status_code, 404, user)
        self.assertTrue(Patient.objects.exists())

    def test_it_gives_404_for_another_centres_patient_to_this_admin(self) -> None:
        elsewhere = make_patient(self.other_clinic, self.outsider_staff, number="X1")
        self.login(self.clinic_admin)
        url = reverse("screening:erase", args=[SLUG, elsewhere.pk])
        self.assertEqual(self.client.post(url, {"number": "X1", "reason": REASON}).status_code, 404)
        self.assertTrue(Patient.objects.filter(number="X1").exists())
