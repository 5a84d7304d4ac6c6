"""The urgent-referral flag (vision-threatening DR: severe NPDR, PDR or DME within one disc
diameter) where staff and doctors decide: the visit, the review queue and page, and the
signed report with its patient copy; the doctor confirms or dismisses it; gradings and
reports from before the flag still render; another centre and anonymous visitors see none
of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from carewatch.eyes.clinical import EyeResult, Outcome, eye_outcome
from carewatch.eyes.documents.pdf import report_pdf
from carewatch.eyes.documents.report import document_for
from carewatch.eyes.review.current import eyes_of
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.snapshot import (
    DecisionError,
    EyeDecision,
    apply,
    check,
    eye_from_grading,
)
from carewatch.eyes.wording import URGENT
from tests.base import BaseTestCase
from tests.eyes.documents.pdftext import compact, text
from tests.eyes.factories.photos import Finding, graded_visit
from tests.eyes.factories.reports import signed_report
from tests.eyes.helpers import make_patient
from tests.eyes.portal.helpers import PortalTestCase

URGENT_WORDS = "Vision-threatening diabetic retinopathy suspected"
OPHTHALMOLOGIST = "urgent referral to an ophthalmologist"
FLAGGED = Finding(2, 0, True, urgent=True)  # moderate, but the model flags it
SIGN = {"right-choice": "agree", "left-choice": "agree", "seen_version": "0", "confirm": "on"}


@pytest.mark.parametrize(
    ("eye", "expected"),
    [
        (EyeResult(True, 2, 0, True, urgent=True), Outcome.REFER_URGENT),
        (EyeResult(True, 1, 0, None, urgent=True), Outcome.REFER_URGENT),
        (EyeResult(True, 3, 0, True, urgent=False), Outcome.REFER_WEEKS),
        (EyeResult(True, 3, 0, True), Outcome.REFER_WEEKS),  # a grading before the flag
        (EyeResult(True, 4, 0, True, urgent=False), Outcome.REFER_URGENT),
        (EyeResult(True, 0, 2, True, urgent=False), Outcome.REFER_URGENT),
        (EyeResult(False, urgent=True), Outcome.RETAKE),
    ],
)
def test_it_refers_urgently_when_the_flag_stands_and_never_drops_pdr_or_central_dme(
    eye: EyeResult, expected: Outcome
) -> None:
    assert eye_outcome(eye) == expected


def photo(grade: int, dme_risk: int = 0, urgent: bool | None = None) -> dict[str, Any]:
    """The left eye's stored photo as the grader left it (urgent: the model's flag)."""
    return eye_from_grading(
        "left", 1, gradable=True, grade=grade, dme_risk=dme_risk, model_urgent=urgent
    )


def test_it_lets_the_doctor_dismiss_or_raise_the_flag_with_a_reason() -> None:
    flagged = photo(2, urgent=True)
    assert flagged["ai_urgent"] is True and flagged["urgent"] is True
    dismissed = apply(flagged, EyeDecision(urgent=False, reason="Old laser scars, stable."))
    assert (dismissed["urgent"], dismissed["referable"], dismissed["ai_urgent"]) == (
        False,
        True,
        True,
    )
    raised = apply(photo(3, urgent=False), EyeDecision(urgent=True, reason="NVD"))
    assert raised["urgent"] is True


def test_it_refuses_to_dismiss_urgency_for_pdr_or_central_dme() -> None:
    for eye in (photo(4), photo(1, dme_risk=2)):
        with pytest.raises(DecisionError) as error:
            check(eye, EyeDecision(urgent=False, reason="Looks fine to me."))
        assert error.value.code == "urgent_required"


def test_the_flag_of_the_software_stops_counting_when_the_doctor_changes_the_grade() -> None:
    changed = apply(photo(2, urgent=True), EyeDecision(grade=1, reason="Dust."))
    assert changed["urgent"] is False


class StaffPagesTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.visit = graded_visit(self.patient, self.screener, left=FLAGGED)
        self.review_url = reverse("review:visit", args=["demo-centre", self.visit.pk])

    def test_it_shows_the_flag_and_the_urgent_referral_on_the_doctors_review_page(self) -> None:
        self.login(self.doctor)
        page = self.client.get(self.review_url)
        self.assertContains(page, URGENT_WORDS)
        self.assertContains(page, OPHTHALMOLOGIST)
        self.assertContains(page, "Urgent referral to an eye doctor (sight-threatening findings).")
        self.assertContains(page, 'name="left-urgent"')

    def test_it_shows_the_flag_to_screeners_on_the_visit_and_its_report(self) -> None:
        self.login(self.screener)
        for name in ("screening:visit", "screening:report"):
            page = self.client.get(reverse(name, args=["demo-centre", self.visit.pk]))
            self.assertContains(page, URGENT_WORDS, msg_prefix=name)

    def test_it_puts_flagged_visits_first_in_the_queue_and_marks_them(self) -> None:
        graded_visit(self.patient, self.screener, left=Finding(3, 0, True))  # severe, no flag
        self.login(self.doctor)
        page = self.client.get(reverse("review:queue", args=["demo-centre"]))
        items = page.context["items"]
        self.assertEqual(items[0].visit, self.visit)
        self.assertEqual([item.urgent for item in items], [True, False])
        self.assertContains(page, "<mark><strong>Urgent referral</strong></mark>", count=1)

    def test_the_doctor_signs_the_urgent_referral_onto_the_report_and_the_patients_copy(
        self,
    ) -> None:
        self.login(self.doctor)
        self.client.post(self.review_url, SIGN)
        report = SignedReport.objects.get()
        self.assertEqual(report.outcome, Outcome.REFER_URGENT)
        page = self.client.get(reverse("documents:report", args=["demo-centre", report.pk]))
        self.assertContains(page, URGENT_WORDS)
        for for_patient in (False, True):
            with translation.override("en"):
                left = document_for(report, for_patient=for_patient).eyes[1]
            self.assertIn(("Urgent referral", str(URGENT)), left.rows)
        self.assertIn(OPHTHALMOLOGIST, text(report_pdf(report, "en", for_patient=True)))

    def test_the_doctor_dismisses_the_flag_and_the_staff_copy_says_so(self) -> None:
        self.login(self.doctor)
        dismiss = {"left-choice": "override", "left-urgent": "no", "left-reason": "Stable."}
        self.client.post(self.review_url, SIGN | dismiss)
        report = SignedReport.objects.get()
        self.assertEqual(report.outcome, Outcome.REFER_3_6_MONTHS)
        with translation.override("en"):
            rows = dict(document_for(report).eyes[1].rows)
        self.assertEqual(rows["Urgent referral"], "No")
        self.assertIn("; urgent referral). Reason: Stable.", rows["Doctor's review"])

    def test_it_asks_for_a_change_of_grade_before_calling_pdr_not_urgent(self) -> None:
        visit = graded_visit(self.patient, self.screener, left=Finding(4, 0, True, urgent=True))
        self.login(self.doctor)
        dismiss = {"left-choice": "override", "left-urgent": "no", "left-reason": "No."}
        url = reverse("review:visit", args=["demo-centre", visit.pk])
        page = self.client.post(url, SIGN | dismiss)
        self.assertContains(page, "always needs urgent referral")
        self.assertFalse(SignedReport.objects.exists())


class BeforeTheFlagTests(BaseTestCase):
    """Gradings by bundles before 2.0.0 have no flag; reports signed before it have no key."""

    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.visit = graded_visit(self.patient, self.screener, left=Finding(3, 0, True))
        self.login(self.doctor)

    def test_it_reviews_a_grading_without_the_flag_by_its_grades(self) -> None:
        page = self.client.get(reverse("review:visit", args=["demo-centre", self.visit.pk]))
        self.assertNotContains(page, URGENT_WORDS)
        self.assertContains(page, "See an eye doctor within a few weeks.")

    def test_it_renders_a_report_signed_before_the_flag_as_it_was(self) -> None:
        eyes = [
            {k: v for k, v in eye.items() if k not in ("ai_urgent", "urgent")}
            for eye in eyes_of(self.visit)
        ]
        report = signed_report(self.visit, self.doctor, eyes=eyes)
        self.assertNotIn("urgent", report.content["eyes"][1])
        with translation.override("en"):
            rows = [label for eye in document_for(report).eyes for label, _ in eye.rows]
        self.assertNotIn("Urgent referral", rows)
        page = self.client.get(reverse("documents:report", args=["demo-centre", report.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "See an eye doctor within a few weeks.")
        amend = self.client.get(reverse("review:amend", args=["demo-centre", report.pk]))
        self.assertEqual(amend.status_code, 200)


class TranslatedTests(BaseTestCase):
    def test_it_words_the_flag_in_hindi_and_tamil(self) -> None:
        patient = make_patient(self.clinic, self.screener)
        visit = graded_visit(patient, self.screener, left=FLAGGED)
        report = signed_report(visit, self.doctor)
        for language in ("hi", "ta"):
            with translation.override(language):
                words = str(URGENT)
                label = translation.gettext("Urgent referral")
                rows = dict(document_for(report).eyes[1].rows)
            self.assertNotEqual(words, str(URGENT), language)
            self.assertEqual(rows[label], words, language)
            self.assertIn(compact(words), compact(text(report_pdf(report, language))))


class OutsiderTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        visit = graded_visit(self.patient, self.screener, left=FLAGGED)
        self.report = signed_report(visit, self.doctor)
        self.pages = [
            reverse("review:queue", args=["demo-centre"]),
            reverse("review:visit", args=["demo-centre", visit.pk]),
            reverse("screening:visit", args=["demo-centre", visit.pk]),
            reverse("screening:report", args=["demo-centre", visit.pk]),
            reverse("documents:report", args=["demo-centre", self.report.pk]),
        ]
        self.portal_page = f"/eyes/my/reports/{visit.pk}/"

    def assert_unseen(self, response: Any, url: str) -> None:
        self.assertIn(response.status_code, (302, 404), url)
        self.assertNotIn(URGENT_WORDS, response.content.decode(), url)

    def test_another_centres_doctor_never_sees_the_flag(self) -> None:
        self.login(self.outsider_staff)
        for url in self.pages:
            self.assert_unseen(self.client.get(url), url)

    def test_anonymous_visitors_never_see_the_flag(self) -> None:
        for url in [*self.pages, self.portal_page]:
            self.assert_unseen(self.client.get(url), url)

    def test_another_patient_never_sees_the_flag(self) -> None:
        self.enter_as(self.other)
        self.assert_unseen(self.client.get(self.portal_page), self.portal_page)
