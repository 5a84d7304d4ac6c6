"""The patient's copy of the report carries the doctor's result only: no model heatmap and
no machine finding the doctor overruled. The referral letter is written in the receiving
eye department's language, a setting of the centre, not in the patient's."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from carewatch.eyes.booking.models import Centre
from carewatch.eyes.documents.report import document_for
from carewatch.eyes.review.snapshot import EyeDecision
from tests.base import BaseTestCase
from tests.eyes.booking.helpers import make_centre
from tests.eyes.booking.test_centre_settings import settings_form
from tests.eyes.documents.pdftext import reader, text
from tests.eyes.factories.photos import graded_image
from tests.eyes.factories.reports import signed_report
from tests.eyes.helpers import make_patient, make_visit
from tests.eyes.portal.helpers import PortalTestCase

OVERRULED = "Moderate non-proliferative"


class PatientCopyTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.visit = make_visit(self.patient, self.screener)
        graded_image(self.visit, "right", self.screener, grade=0)
        graded_image(self.visit, "left", self.screener, grade=2)  # the doctor corrects it
        decisions = {"left": EyeDecision(0, None, "Dust on the lens.")}
        self.report = signed_report(self.visit, self.doctor, decisions)

    def test_the_patients_document_has_no_heatmap_and_no_machine_finding(self) -> None:
        with translation.override("en"):
            self.check_documents()

    def check_documents(self) -> None:
        staff = document_for(self.report)
        self.assertTrue(any(eye.heatmap_png for eye in staff.eyes), "the staff copy keeps it")
        patient = document_for(self.report, for_patient=True)
        self.assertFalse(any(eye.heatmap_png for eye in patient.eyes))
        words = " ".join(value for eye in patient.eyes for _label, value in eye.rows)
        self.assertNotIn(OVERRULED, words)
        self.assertNotIn("software", words)
        self.assertIn("No apparent diabetic retinopathy", words)

    def test_the_portal_page_and_pdf_show_the_doctors_result_only(self) -> None:
        self.enter_as()
        page = self.client.get(f"/eyes/my/reports/{self.visit.pk}/")
        self.assertContains(page, "No apparent diabetic retinopathy")
        self.assertNotContains(page, OVERRULED)
        self.assertNotContains(page, "data:image/png")
        pdf = self.client.get(f"/eyes/my/reports/{self.visit.pk}/pdf/").content
        self.assertIn("No apparent diabetic retinopathy", text(pdf))
        self.assertNotIn(OVERRULED, text(pdf))
        self.assertEqual(sum(len(p.images) for p in reader(pdf).pages), 0)


class ReferralLanguageTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.patient.language = "hi"
        self.patient.save()
        visit = make_visit(self.patient, self.screener)
        graded_image(visit, "right", self.screener, grade=3)
        graded_image(visit, "left", self.screener, grade=0)
        self.report = signed_report(visit, self.doctor)
        self.url = reverse("documents:referral_pdf", args=["demo-centre", self.report.pk])

    def test_the_letter_follows_the_centres_referral_language_not_the_patients(self) -> None:
        make_centre(self.clinic)
        Centre.objects.filter(clinic=self.clinic).update(referral_language="ta")
        self.login(self.doctor)
        response = self.client.get(self.url)
        self.assertIn("-ta.pdf", response["Content-Disposition"])
        found = text(response.content)
        self.assertTrue(any("\u0b80" <= ch <= "\u0bff" for ch in found), "no Tamil")
        self.assertFalse(any("\u0900" <= ch <= "\u097f" for ch in found), "Hindi")

    def test_without_a_centre_setting_the_letter_is_in_english(self) -> None:
        self.login(self.doctor)
        response = self.client.get(self.url)
        self.assertIn("-en.pdf", response["Content-Disposition"])
        self.assertIn("Referral letter", text(response.content))

    def test_the_clinic_admin_sets_the_referral_language(self) -> None:
        self.login(self.clinic_admin)
        url = reverse("desk:settings", args=["demo-centre"])
        self.assertContains(self.client.get(url), 'name="referral_language"')
        self.client.post(url, settings_form(referral_language="ta"))
        self.assertEqual(Centre.objects.get(clinic=self.clinic).referral_language, "ta")
        response = self.client.post(url, settings_form(referral_language="xx"))
        self.assertEqual(Centre.objects.get(clinic=self.clinic).referral_language, "ta")
        self.assertContains(response, "Select a valid choice")
