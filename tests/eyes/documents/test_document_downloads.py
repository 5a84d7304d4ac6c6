"""Staff download the report and the referral letter as PDF; everyone else is refused."""

from __future__ import annotations

from django.urls import reverse

from carewatch.eyes.screening.models import AuditEntry
from tests.base import BaseTestCase
from tests.eyes.documents.pdftext import reader, text
from tests.eyes.factories.photos import graded_image
from tests.eyes.factories.reports import signed_report
from tests.eyes.helpers import make_patient, make_visit


class DownloadTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.patient.language = "ta"
        self.patient.save()
        visit = make_visit(self.patient, self.screener)
        graded_image(visit, "right", self.screener, grade=3)
        graded_image(visit, "left", self.screener, grade=0)
        self.report = signed_report(visit, self.doctor)
        self.report_url = reverse("documents:report_pdf", args=["demo-centre", self.report.pk])
        self.referral_url = reverse("documents:referral_pdf", args=["demo-centre", self.report.pk])

    def test_it_gives_staff_the_report_in_the_patients_language_as_an_attachment(self) -> None:
        self.login(self.screener)
        response = self.client.get(self.report_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        disposition = response["Content-Disposition"]
        self.assertEqual(
            disposition, f'attachment; filename="eye-report-visit{self.report.visit_id}-v1-ta.pdf"'
        )
        self.assertNotIn("Meena", disposition)
        self.assertEqual(reader(response.content).root_object["/Lang"], "ta")
        self.assertRegex(text(response.content), "[\u0b80-\u0bff]{4}")

    def test_it_gives_the_language_asked_for(self) -> None:
        self.login(self.doctor)
        response = self.client.get(self.report_url, {"lang": "en"})
        self.assertIn("Severe non-proliferative diabetic retinopathy", text(response.content))
        self.assertTrue(response["Content-Disposition"].endswith('-v1-en.pdf"'))

    def test_it_refuses_an_unknown_language_with_a_sentence(self) -> None:
        self.login(self.doctor)
        for url in (self.report_url, self.referral_url):
            response = self.client.get(url, {"lang": "fr"})
            self.assertEqual(response.status_code, 400)
            self.assertEqual(
                response.content.decode(), "Unknown language “fr”: choose one of en, hi, ta."
            )
        self.assertFalse(AuditEntry.objects.exists())

    def test_it_audits_each_download(self) -> None:
        self.login(self.clinic_admin)
        self.client.get(self.report_url)
        self.client.get(self.referral_url, {"lang": "hi"})
        entries = list(AuditEntry.objects.order_by("id"))
        self.assertEqual([e.action for e in entries], ["report.download", "referral.download"])
        for entry in entries:
            self.assertEqual(entry.patient, self.patient)
            self.assertEqual(entry.visit_id, self.report.visit_id)
            self.assertEqual((entry.object_type, entry.object_id), ("signedreport", self.report.pk))
            self.assertEqual(entry.who, "admin@example.org")

    def test_it_gives_the_referral_letter_for_a_referable_report(self) -> None:
        self.login(self.doctor)
        response = self.client.get(self.referral_url, {"lang": "en"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("To the eye department", text(response.content))
        self.assertTrue(
            response["Content-Disposition"].startswith('attachment; filename="referral-')
        )

    def test_it_explains_that_a_report_that_does_not_refer_has_no_letter(self) -> None:
        visit = make_visit(self.patient, self.screener)
        graded_image(visit, "right", self.screener, grade=0)
        graded_image(visit, "left", self.screener, grade=1)
        report = signed_report(visit, self.doctor)
        self.login(self.doctor)
        response = self.client.get(
            reverse("documents:referral_pdf", args=["demo-centre", report.pk])
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "does not refer the patient, so there is no referral letter", status_code=400
        )

    def test_it_sends_anonymous_visitors_to_log_in(self) -> None:
        for url in (self.report_url, self.referral_url):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("account_login"), response["Location"])

    def test_it_hides_the_report_from_another_centre_and_from_families(self) -> None:
        for outsider in (self.outsider_staff, self.charlie, self.alice):
            self.login(outsider)
            for url in (self.report_url, self.referral_url):
                self.assertEqual(self.client.get(url).status_code, 404)
        self.assertFalse(AuditEntry.objects.exists())

    def test_it_hides_a_report_of_another_centre_behind_this_centres_address(self) -> None:
        other_patient = make_patient(self.other_clinic, self.outsider_staff, number="P9")
        visit = make_visit(other_patient, self.outsider_staff)
        graded_image(visit, "right", self.outsider_staff, grade=4)
        theirs = signed_report(visit, self.outsider_staff)
        self.login(self.doctor)
        for name in ("documents:report_pdf", "documents:referral_pdf"):
            url = reverse(name, args=["demo-centre", theirs.pk])
            self.assertEqual(self.client.get(url).status_code, 404)
