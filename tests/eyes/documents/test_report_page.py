"""The signed report page: the documents app's report, downloads, and the list of versions."""

from __future__ import annotations

from django.urls import reverse

from carewatch.eyes.review.signing import sign
from carewatch.eyes.screening.models import AuditEntry
from tests.base import BaseTestCase
from tests.eyes.factories.photos import Finding, graded_visit
from tests.eyes.helpers import make_patient


class SignedReportPageTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.login(self.screener)

    def page_for(self, **findings: Finding):
        visit = graded_visit(self.patient, self.screener, **findings)
        report = sign(visit, {}, "Check again next year.", self.doctor)
        return report, self.client.get(reverse("documents:report", args=["demo-centre", report.pk]))

    def test_it_shows_the_signed_report_with_its_signer_and_the_doctors_note(self) -> None:
        report, page = self.page_for()
        self.assertContains(page, "Diabetic eye screening report")
        self.assertContains(page, "<dt>Signed by</dt><dd>doctor@example.org</dd>", html=True)
        self.assertEqual(page.content.decode().count("decision support produced by software"), 1)
        self.assertContains(page, "Check again next year.")
        self.assertContains(page, "Screen again in 12 months.")
        self.assertEqual(AuditEntry.objects.first().action, "report.view_signed")  # type: ignore[union-attr]

    def test_it_links_the_report_pdf_and_fhir_but_no_referral_when_not_referable(self) -> None:
        report, page = self.page_for()
        args = ["demo-centre", report.pk]
        self.assertContains(page, reverse("documents:report_pdf", args=args))
        self.assertContains(page, reverse("documents:fhir", args=args))
        self.assertNotContains(page, reverse("documents:referral_pdf", args=args))

    def test_it_links_the_referral_letter_when_the_report_is_referable(self) -> None:
        report, page = self.page_for(left=Finding(3, 1, True))
        self.assertContains(
            page, reverse("documents:referral_pdf", args=["demo-centre", report.pk])
        )
        self.assertContains(page, "See an eye doctor within a few weeks.")

    def test_it_offers_the_amendment_to_the_doctor_only(self) -> None:
        report, page = self.page_for()
        amend = reverse("review:amend", args=["demo-centre", report.pk])
        self.assertNotContains(page, amend)
        self.login(self.doctor)
        page = self.client.get(reverse("documents:report", args=["demo-centre", report.pk]))
        self.assertContains(page, amend)

    def test_the_old_review_addresses_of_the_report_and_its_export_redirect_here(self) -> None:
        report, _ = self.page_for()
        for name, old in (("report", ""), ("fhir", "fhir.json")):
            page = self.client.get(f"/eyes/centre/demo-centre/review/reports/{report.pk}/{old}")
            new = reverse(f"documents:{name}", args=["demo-centre", report.pk])
            self.assertRedirects(page, new, fetch_redirect_response=False)
