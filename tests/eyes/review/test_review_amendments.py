"""Amendments: a new version from the latest, with a reason; every version stays readable."""

from __future__ import annotations

from django.http import HttpResponseBase
from django.urls import reverse

from carewatch.eyes.clinical import Outcome
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.signing import sign
from carewatch.eyes.review.snapshot import EyeDecision
from carewatch.eyes.screening.models import AuditEntry
from tests.base import BaseTestCase
from tests.eyes.factories.photos import Finding, graded_visit
from tests.eyes.helpers import make_patient


class AmendmentTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        visit = graded_visit(make_patient(self.clinic, self.screener), self.screener)
        self.visit = visit
        self.first = sign(
            visit, {"left": EyeDecision(2, None, "Haemorrhages.")}, "Refer", self.doctor
        )
        self.url = reverse("review:amend", args=["demo-centre", self.first.pk])
        self.login(self.doctor)

    def amend(self, **fields: str) -> HttpResponseBase:
        data = {
            "right-choice": "agree",
            "left-choice": "agree",
            "seen_version": "1",
            "confirm": "on",
            "doctor_note": "Refer",
            "amendment_reason": "Second look at the photo.",
        }
        return self.client.post(self.url, data | fields, follow=True)

    def test_it_starts_the_amendment_from_the_signed_version(self) -> None:
        page = self.client.get(self.url)
        self.assertContains(page, "Amend the signed report (version 1)")
        self.assertContains(page, "Keep as signed")
        self.assertContains(page, "Haemorrhages.")
        self.assertContains(page, 'name="seen_version" value="1"')

    def test_it_signs_version_two_from_the_latest_with_the_reason(self) -> None:
        self.amend(**{"left-choice": "override", "left-grade": "0", "left-reason": "Artefact."})
        second = SignedReport.objects.latest_for(self.visit)
        assert second is not None
        self.assertEqual(second.version, 2)
        self.assertEqual(second.amendment_reason, "Second look at the photo.")
        left = second.content["eyes"][1]
        self.assertEqual(
            (left["ai_grade"], left["grade"], left["override_reason"]), (0, 0, "Artefact.")
        )
        self.assertEqual(second.outcome, Outcome.RESCREEN_12_MONTHS)
        self.assertEqual(second.follow_up_months, 12)
        self.assertEqual(SignedReport.objects.get(pk=self.first.pk).content, self.first.content)
        self.assertIn("report.amend", AuditEntry.objects.values_list("action", flat=True))

    def test_it_copies_an_eye_kept_as_signed(self) -> None:
        self.amend(doctor_note="Refer soon")
        second = SignedReport.objects.latest_for(self.visit)
        assert second is not None
        self.assertEqual(second.content["eyes"], self.first.content["eyes"])
        self.assertEqual(second.content["doctor_note"], "Refer soon")

    def test_it_requires_a_reason_for_the_amendment(self) -> None:
        page = self.amend(amendment_reason="")
        self.assertContains(page, "Give the reason for the amendment")
        self.assertEqual(SignedReport.objects.count(), 1)

    def test_it_shows_the_latest_version_with_links_to_the_earlier_ones(self) -> None:
        self.amend()
        second = SignedReport.objects.latest_for(self.visit)
        assert second is not None
        page = self.client.get(reverse("documents:report", args=["demo-centre", second.pk]))
        self.assertContains(page, "This report was amended: earlier versions are listed below.")
        self.assertContains(page, reverse("documents:report", args=["demo-centre", self.first.pk]))
        self.assertContains(page, "Second look at the photo.")
        old = self.client.get(reverse("documents:report", args=["demo-centre", self.first.pk]))
        self.assertContains(old, "This is version 1, replaced by a later version (2).")
        self.assertContains(old, reverse("documents:report", args=["demo-centre", second.pk]))
        self.assertNotContains(old, self.url)  # only the latest version is amended

    def test_it_creates_one_version_when_the_amendment_is_submitted_twice(self) -> None:
        self.amend()
        page = self.amend()
        self.assertEqual(SignedReport.objects.count(), 2)
        self.assertContains(page, "This report was already signed (version 2")

    def test_it_sends_a_visit_that_is_already_signed_to_its_signed_report(self) -> None:
        review = reverse("review:visit", args=["demo-centre", self.visit.pk])
        page = self.client.get(review)
        self.assertRedirects(page, reverse("documents:report", args=["demo-centre", self.first.pk]))

    def test_it_lets_only_a_doctor_amend(self) -> None:
        for user in (self.screener, self.clinic_admin):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404)
            self.assertEqual(self.amend().status_code, 404)
        self.assertEqual(SignedReport.objects.count(), 1)

    def test_it_keeps_an_urgent_outcome_when_only_the_note_is_amended(self) -> None:
        visit = graded_visit(
            make_patient(self.clinic, self.screener, "P2"), self.screener, left=Finding(4, 2, True)
        )
        first = sign(visit, {}, "", self.doctor)
        self.assertEqual(first.outcome, Outcome.REFER_URGENT)
        url = reverse("review:amend", args=["demo-centre", first.pk])
        self.client.post(
            url,
            {
                "right-choice": "agree",
                "left-choice": "agree",
                "seen_version": "1",
                "confirm": "on",
                "amendment_reason": "Typo in note",
                "doctor_note": "Urgent",
            },
        )
        self.assertEqual(SignedReport.objects.latest_for(visit).outcome, Outcome.REFER_URGENT)  # type: ignore[union-attr]
