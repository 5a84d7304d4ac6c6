"""The report per visit: per eye and worse eye, recommendation, model version, disclaimer."""

from __future__ import annotations

from django.urls import reverse

from carewatch.eyes.screening.models import AuditEntry
from tests.eyes.helpers import aptos_photos, fundus_like, upload
from tests.eyes.test_eyes_grading import MODEL_VERSION, GradingCase, black_photo


class ReportTests(GradingCase):
    def test_it_reports_both_real_eyes_with_a_recommendation_and_the_disclaimer(self) -> None:
        right, left = aptos_photos(2)
        self.send(right=right.read_bytes(), left=left.read_bytes())
        page = self.client.get(reverse("screening:report", args=["demo-centre", self.visit.pk]))
        self.assertContains(page, "Result for the patient")
        self.assertContains(page, "Worse eye")
        self.assertContains(page, "decision support produced by software, not a diagnosis")
        self.assertContains(page, f"Model version: {MODEL_VERSION}")
        self.assertContains(page, "diabetic retinopathy")
        self.assertRegex(page.content.decode(), r"Screen again in 12 months|See an eye doctor")
        self.assertEqual(AuditEntry.objects.first().action, "report.view")  # type: ignore[union-attr]

    def test_it_never_reports_an_ungradable_visit_as_normal(self) -> None:
        self.send(right=black_photo())
        page = self.client.get(reverse("screening:report", args=["demo-centre", self.visit.pk]))
        self.assertContains(page, "At least one eye could not be graded")
        self.assertContains(page, "No photo was taken of this eye")
        self.assertNotContains(page, "No apparent diabetic retinopathy")
        self.assertNotContains(page, "Screen again in 12 months")

    def test_it_waits_for_grading_before_giving_a_result(self) -> None:
        self.client.post(self.url, {"right": upload(fundus_like())})
        page = self.client.get(reverse("screening:report", args=["demo-centre", self.visit.pk]))
        self.assertContains(page, "Grading is not finished yet")
        self.assertNotContains(page, "Recommendation")
