"""A doctor cannot sign with one click: each eye needs a decision of the doctor's own (no
preselected "Agree") and the signature a confirmation."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.signing import sign
from carewatch.eyes.review.snapshot import EyeDecision
from tests.base import BaseTestCase
from tests.eyes.factories.photos import Finding, graded_visit
from tests.eyes.helpers import make_patient

BOTH_CHOSEN = {"right-choice": "agree", "left-choice": "agree", "seen_version": "0"}


class DeliberateSigningTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.visit = graded_visit(self.patient, self.screener, left=Finding(2, 0, True))
        self.url = reverse("review:visit", args=["demo-centre", self.visit.pk])
        self.login(self.doctor)

    def post(self, fields: dict[str, str]) -> Any:
        return self.client.post(self.url, fields, follow=True)

    def test_no_decision_is_preselected_on_the_review_page(self) -> None:
        page = self.client.get(self.url).content.decode()
        self.assertEqual(page.count('name="right-choice"'), 2)
        form = page.split('<form method="post" novalidate>')[1].split("</form>")[0]
        self.assertIn('name="left-choice"', form)
        self.assertNotRegex(form, r"<input[^>]* checked")

    def test_it_refuses_to_sign_until_each_eye_has_a_decision(self) -> None:
        page = self.post({"right-choice": "agree", "seen_version": "0", "confirm": "on"})
        self.assertContains(page, "Choose Agree or Change for this eye.")
        self.assertFalse(SignedReport.objects.exists())

    def test_it_refuses_to_sign_without_the_doctors_confirmation(self) -> None:
        page = self.post(BOTH_CHOSEN)
        self.assertContains(page, "Tick the box to confirm")
        self.assertFalse(SignedReport.objects.exists())

    def test_it_signs_once_both_eyes_are_chosen_and_the_signature_confirmed(self) -> None:
        self.post(BOTH_CHOSEN | {"confirm": "on"})
        self.assertEqual(SignedReport.objects.count(), 1)

    def test_an_amendment_also_needs_a_choice_per_eye_and_a_confirmation(self) -> None:
        first = sign(self.visit, {"left": EyeDecision(1, None, "Few spots.")}, "", self.doctor)
        url = reverse("review:amend", args=["demo-centre", first.pk])
        fields = {"seen_version": "1", "amendment_reason": "Second look."}
        page = self.client.post(url, fields | {"left-choice": "agree"}, follow=True)
        self.assertContains(page, "Choose Keep as signed or Change for this eye.")
        self.assertContains(page, "Tick the box to confirm")
        self.assertEqual(SignedReport.objects.count(), 1)
