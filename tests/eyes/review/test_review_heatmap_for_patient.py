"""Heatmaps on the patient's copy only with the signing doctor's agreement: a box at
sign-off, unticked by default and asked again for every amendment, kept with the signed
version and noted in the audit log (at signing and on every patient access it allows).
Doctors always see the grader's heatmap; reports signed before the question show the
patient none; other patients and other centres get nothing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from carewatch.eyes.documents.report import document_for
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.signing import HEATMAP_AGREED, HEATMAP_SHOWN
from carewatch.eyes.screening.models import AuditEntry
from tests.eyes.documents.pdftext import reader
from tests.eyes.factories.photos import Finding, graded_visit
from tests.eyes.factories.reports import signed_report
from tests.eyes.portal.helpers import PortalTestCase

SIGN = {"right-choice": "agree", "left-choice": "agree", "seen_version": "0", "confirm": "on"}
INLINE_IMAGE = "data:image/png;base64,"


def pdf_images(data: bytes) -> int:
    return sum(len(page.images) for page in reader(data).pages)


class HeatmapAgreementTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.visit = graded_visit(self.patient, self.screener, left=Finding(2))
        self.review_url = reverse("review:visit", args=["demo-centre", self.visit.pk])
        self.portal_page = f"/eyes/my/reports/{self.visit.pk}/"

    def sign(self, **fields: str) -> SignedReport:
        self.login(self.doctor)
        self.client.post(self.review_url, SIGN | fields)
        self.client.logout()
        report = SignedReport.objects.latest_for(self.visit)
        assert report is not None
        return report

    def patient_sees(self) -> tuple[Any, bytes]:
        self.enter_as()
        return self.client.get(self.portal_page), self.client.get(f"{self.portal_page}pdf/").content

    def notes(self, action: str) -> list[str]:
        return list(AuditEntry.objects.filter(action=action).values_list("note", flat=True))

    def test_the_sign_off_asks_with_the_box_unticked(self) -> None:
        self.login(self.doctor)
        page = self.client.get(self.review_url)
        self.assertContains(page, "Show the heatmaps on the patient&#x27;s copy of the report")
        box = page.context["form"]["heatmap_for_patient"]
        self.assertFalse(box.value())
        self.assertNotIn("checked", str(box))

    def test_without_the_doctors_agreement_the_patients_copy_shows_no_heatmap(self) -> None:
        report = self.sign()
        self.assertIs(report.content["heatmap_for_patient"], False)
        self.assertTrue(any(eye.heatmap_png for eye in document_for(report).eyes))
        page, pdf = self.patient_sees()
        self.assertNotContains(page, INLINE_IMAGE)
        self.assertNotContains(page, "where the software looked")
        self.assertEqual(pdf_images(pdf), 0)
        self.assertEqual(self.notes("report.sign"), [""])
        self.assertEqual(self.notes("portal.view") + self.notes("portal.download"), ["", ""])

    def test_with_the_doctors_agreement_the_patients_page_and_pdf_show_the_heatmaps(self) -> None:
        report = self.sign(heatmap_for_patient="on")
        self.assertIs(report.content["heatmap_for_patient"], True)
        page, pdf = self.patient_sees()
        self.assertContains(page, INLINE_IMAGE, count=2)
        self.assertContains(page, "They are not a diagnosis")
        self.assertEqual(pdf_images(pdf), 2)
        self.assertEqual(self.notes("report.sign"), [HEATMAP_AGREED])
        self.assertEqual(self.notes("portal.view"), [HEATMAP_SHOWN])
        self.assertEqual(self.notes("portal.download"), [HEATMAP_SHOWN])

    def test_an_amendment_asks_again_and_without_a_tick_takes_the_heatmaps_away(self) -> None:
        first = self.sign(heatmap_for_patient="on")
        self.login(self.doctor)
        amend = {"right-choice": "agree", "left-choice": "agree", "confirm": "on"}
        amend |= {"seen_version": "1", "amendment_reason": "Typo in the note."}
        url = reverse("review:amend", args=["demo-centre", first.pk])
        self.assertFalse(self.client.get(url).context["form"]["heatmap_for_patient"].value())
        self.client.post(url, amend)
        self.client.logout()
        latest = SignedReport.objects.latest_for(self.visit)
        assert latest is not None
        self.assertEqual((latest.version, latest.content["heatmap_for_patient"]), (2, False))
        page, pdf = self.patient_sees()
        self.assertNotContains(page, INLINE_IMAGE)
        self.assertEqual(pdf_images(pdf), 0)

    def test_a_report_signed_before_the_question_shows_the_patient_no_heatmap(self) -> None:
        report = signed_report(self.visit, self.doctor)
        before = {k: v for k, v in report.content.items() if k != "heatmap_for_patient"}
        fields = ("visit", "outcome", "referable", "signed_by", "signer_name", "signed_at")
        SignedReport.objects.create(
            **{f: getattr(report, f) for f in fields},
            version=2,
            content=before,
            amendment_reason="Signed before the question was asked.",
        )
        page, pdf = self.patient_sees()
        self.assertContains(page, "Signed before the question was asked.")
        self.assertNotContains(page, INLINE_IMAGE)
        self.assertEqual(pdf_images(pdf), 0)

    def test_doctors_always_see_the_heatmap_and_the_report_says_what_the_patient_sees(
        self,
    ) -> None:
        report = self.sign()
        self.login(self.doctor)
        image = self.visit.images.get(eye="left")
        heatmap = reverse("screening:image", args=["demo-centre", image.pk, "heatmap"])
        self.assertEqual(self.client.get(heatmap)["Content-Type"], "image/png")
        self.assertIn("image.heatmap", AuditEntry.objects.values_list("action", flat=True))
        page = self.client.get(reverse("documents:report", args=["demo-centre", report.pk]))
        self.assertContains(page, INLINE_IMAGE, count=2)
        self.assertContains(page, "copy shows no heatmap")

    def test_other_patients_and_other_centres_never_get_the_heatmaps(self) -> None:
        self.sign(heatmap_for_patient="on")
        self.enter_as(self.other)
        self.assertEqual(self.client.get(self.portal_page).status_code, 404)
        self.assertEqual(self.client.get(f"{self.portal_page}pdf/").status_code, 404)
        self.client.logout()
        self.login(self.outsider_staff)
        image = self.visit.images.get(eye="left")
        for slug in ("demo-centre", "other-centre"):
            url = reverse("screening:image", args=[slug, image.pk, "heatmap"])
            self.assertEqual(self.client.get(url).status_code, 404, url)
