"""Signing: the doctor agrees or overrides per eye, signs once, and the version is announced."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse

from carewatch.eyes.clinical import Outcome
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.signals import report_signed
from carewatch.eyes.review.signing import SignedMeanwhile, sign
from carewatch.eyes.screening.models import AuditEntry, Visit
from carewatch.platform.accounts.models import Clinic, User
from tests.base import BaseTestCase, make_user
from tests.eyes.factories.photos import UNGRADABLE, Finding, graded_visit
from tests.eyes.helpers import make_patient, make_visit

AGREE_BOTH = {
    "right-choice": "agree",
    "left-choice": "agree",
    "seen_version": "0",
    "confirm": "on",
}


class SigningTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.visit = graded_visit(self.patient, self.screener, left=Finding(2, 0, True))
        self.url = reverse("review:visit", args=["demo-centre", self.visit.pk])
        self.login(self.doctor)

    def sign(self, **fields: str) -> Any:
        return self.client.post(self.url, AGREE_BOTH | fields, follow=True)

    def test_it_shows_both_eyes_with_the_softwares_findings_and_a_sign_button(self) -> None:
        page = self.client.get(self.url)
        self.assertContains(page, "Moderate non-proliferative diabetic retinopathy")
        self.assertContains(page, "Sign the report")
        self.assertContains(page, "Software's result for the patient")
        self.assertContains(page, "See an eye doctor within 3 to 6 months.")
        self.assertContains(
            page,
            reverse(
                "screening:image",
                args=["demo-centre", self.visit.images.get(eye="left").pk, "heatmap"],
            ),
        )
        self.assertEqual(AuditEntry.objects.first().action, "review.view")  # type: ignore[union-attr]

    def test_it_signs_version_one_with_the_doctor_the_time_and_the_frozen_content(self) -> None:
        page = self.sign(doctor_note="Refer to the eye hospital.")
        report = SignedReport.objects.get()
        self.assertEqual(report.version, 1)
        self.assertEqual(report.signed_by, self.doctor)
        self.assertEqual(report.signer_name, "doctor@example.org")
        self.assertEqual(report.outcome, Outcome.REFER_3_6_MONTHS)
        self.assertTrue(report.referable)
        self.assertIsNone(report.follow_up_months)
        self.assertEqual(report.amendment_reason, "")
        self.assertEqual(report.content["worse_eye"], "left")
        self.assertEqual(report.content["doctor_note"], "Refer to the eye hospital.")
        self.assertEqual([e["grade"] for e in report.content["eyes"]], [0, 2])
        self.assertRedirects(page, reverse("documents:report", args=["demo-centre", report.pk]))
        self.assertContains(page, "The report is signed.")
        self.assertIn("report.sign", AuditEntry.objects.values_list("action", flat=True))

    def test_it_recomputes_the_outcome_from_the_doctors_override(self) -> None:
        self.sign(
            **{"left-choice": "override", "left-grade": "1", "left-reason": "Only microaneurysms."}
        )
        report = SignedReport.objects.get()
        left = report.content["eyes"][1]
        self.assertEqual((left["ai_grade"], left["grade"]), (2, 1))
        self.assertEqual(left["override_reason"], "Only microaneurysms.")
        self.assertEqual(report.outcome, Outcome.RESCREEN_12_MONTHS)
        self.assertFalse(report.referable)
        self.assertEqual(report.follow_up_months, 12)

    def test_it_asks_for_a_reason_and_keeps_what_was_typed(self) -> None:
        page = self.sign(**{"left-choice": "override", "left-grade": "1"}, doctor_note="My note")
        self.assertContains(page, "Give a reason for changing the finding")
        self.assertContains(page, "My note")
        self.assertFalse(SignedReport.objects.exists())

    def test_it_asks_for_a_different_value_when_the_override_changes_nothing(self) -> None:
        page = self.sign(**{"left-choice": "override", "left-grade": "2", "left-reason": "Same"})
        self.assertContains(page, "Choose a different grade, macular edema risk or urgent referral")
        self.assertFalse(SignedReport.objects.exists())

    def test_it_asks_which_is_meant_when_a_new_grade_is_picked_under_agree(self) -> None:
        page = self.sign(**{"left-grade": "4", "left-reason": "New vessels"})
        self.assertContains(page, "You chose Agree but picked a new value")
        self.assertContains(page, "New vessels")
        self.assertFalse(SignedReport.objects.exists())

    def test_it_creates_one_version_when_sign_is_clicked_twice(self) -> None:
        self.sign()
        second = self.sign()
        self.assertEqual(SignedReport.objects.count(), 1)
        self.assertContains(second, "This report was already signed (version 1")

    def test_it_tells_the_second_doctor_that_a_colleague_signed_meanwhile(self) -> None:
        page = self.client.get(self.url)  # the form carries the version the doctor saw: 0
        self.assertContains(page, 'name="seen_version" value="0"')
        SignedReport.objects.create(
            visit=self.visit,
            version=1,
            content={"eyes": [], "worse_eye": None, "doctor_note": ""},
            outcome=0,
            referable=False,
            follow_up_months=12,
            signed_by=self.clinic_admin,
            signer_name="Dr Colleague",
            signed_at=self.visit.created,
        )
        second = self.sign()
        self.assertEqual(SignedReport.objects.count(), 1)
        self.assertContains(second, "by Dr Colleague")
        self.assertContains(second, "to change it, amend it")

    def test_it_announces_each_signed_version_after_the_commit(self) -> None:
        received: list[SignedReport] = []
        handler = lambda sender, report, **kw: received.append(report)  # noqa: E731
        report_signed.connect(handler)
        self.addCleanup(report_signed.disconnect, handler)
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.sign()
        self.assertEqual(received, [])  # nothing before the commit
        for callback in callbacks:
            callback()
        self.assertEqual(received, [SignedReport.objects.get()])

    def test_it_lets_a_doctor_sign_a_retake_visit_as_a_referral_for_a_new_photo(self) -> None:
        visit = graded_visit(
            self.patient, self.screener, right=Finding(3, 1, True), left=UNGRADABLE
        )
        self.assertEqual(visit.status, "retake")
        url = reverse("review:visit", args=["demo-centre", visit.pk])
        self.client.post(url, AGREE_BOTH)
        report = SignedReport.objects.get(visit=visit)
        self.assertEqual(report.outcome, Outcome.REFER_WEEKS)  # the graded eye decides
        self.assertIsNone(report.content["eyes"][1]["grade"])

    def test_it_lets_the_doctor_grade_a_photo_the_software_could_not(self) -> None:
        visit = graded_visit(self.patient, self.screener, left=UNGRADABLE)
        url = reverse("review:visit", args=["demo-centre", visit.pk])
        fields = {"left-choice": "override", "left-dme_risk": "0", "left-reason": "Readable"}
        page = self.client.post(url, AGREE_BOTH | fields)
        self.assertContains(page, "choose a grade to grade it yourself")
        self.client.post(url, AGREE_BOTH | fields | {"left-grade": "0"})
        self.assertEqual(SignedReport.objects.get(visit=visit).follow_up_months, 12)

    def test_it_sends_an_ungraded_visit_back_to_its_page(self) -> None:
        visit = make_visit(self.patient, self.screener)
        page = self.client.get(reverse("review:visit", args=["demo-centre", visit.pk]), follow=True)
        self.assertContains(page, "This visit is not graded yet")
        self.assertFalse(SignedReport.objects.exists())

    def test_it_shows_the_screener_the_review_without_a_sign_button(self) -> None:
        self.login(self.screener)
        page = self.client.get(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Sign the report")

    def test_it_refuses_a_signature_from_a_screener_or_an_admin(self) -> None:
        for user in (self.screener, self.clinic_admin):
            self.login(user)
            self.assertEqual(self.client.post(self.url, AGREE_BOTH).status_code, 403)
        self.assertFalse(SignedReport.objects.exists())

    def test_it_links_the_review_from_the_visit_pages_and_then_the_signed_report(self) -> None:
        visit_page = reverse("screening:visit", args=["demo-centre", self.visit.pk])
        report_page = reverse("screening:report", args=["demo-centre", self.visit.pk])
        for page in (visit_page, report_page):
            self.assertContains(self.client.get(page), self.url)
            self.assertContains(self.client.get(page), "Not yet reviewed by a doctor.")
        self.sign()
        signed = reverse("documents:report", args=["demo-centre", SignedReport.objects.get().pk])
        for page in (visit_page, report_page):
            self.assertContains(self.client.get(page), signed)


class ConcurrentSigningTests(TransactionTestCase):
    def test_it_creates_one_version_when_two_doctors_sign_at_the_same_moment(self) -> None:
        if connection.vendor != "postgresql":
            # SQLite lets one writer at a time anyway; the row lock is PostgreSQL's (CI runs it).
            self.skipTest("row locks are tested on PostgreSQL")
        clinic = Clinic.objects.create(name="Race Centre", slug="race-centre")
        doctors = [make_user(f"dr{n}@example.org") for n in range(2)]
        visit = graded_visit(make_patient(clinic, doctors[0]), doctors[0])
        barrier = threading.Barrier(2)
        results: list[object] = []

        def sign_now(doctor: User) -> None:
            try:
                barrier.wait(timeout=10)
                results.append(sign(Visit.objects.get(pk=visit.pk), {}, "", doctor).version)
            except SignedMeanwhile as error:
                results.append(("meanwhile", error.latest.version))
            finally:
                connection.close()

        threads = [threading.Thread(target=sign_now, args=(d,)) for d in doctors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertCountEqual(results, [1, ("meanwhile", 1)])
        self.assertEqual(SignedReport.objects.filter(visit=visit).count(), 1)
