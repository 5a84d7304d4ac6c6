"""The referral letter: only for a referable report, with the urgency from its outcome."""

from __future__ import annotations

from typing import Any

from carewatch.eyes.documents.pdf import NotReferable, referral_letter_pdf
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.snapshot import EyeDecision
from tests.base import BaseTestCase
from tests.eyes.documents.pdftext import compact, reader, text
from tests.eyes.factories.photos import graded_image
from tests.eyes.factories.reports import signed_report
from tests.eyes.helpers import make_patient, make_visit


class ReferralLetterTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.clinic.address, self.clinic.city, self.clinic.phone = (
            "12 Gandhi Road",
            "Chennai",
            "+91 44 2345 6789",
        )
        self.clinic.save()
        self.patient = make_patient(self.clinic, self.screener)

    def signed(
        self, right: int | None, left: int | None, dme: int = 0, **kwargs: Any
    ) -> SignedReport:
        visit = make_visit(self.patient, self.screener)
        graded_image(visit, "right", self.screener, grade=right, dme_risk=dme)
        graded_image(visit, "left", self.screener, grade=left)
        return signed_report(visit, self.doctor, **kwargs)

    def test_it_writes_to_the_eye_department_with_findings_signer_and_contact(self) -> None:
        report = self.signed(2, 0, note="Please check the left eye too.")
        found = text(referral_letter_pdf(report, "en"))
        for words in (
            "Referral letter",
            "To the eye department",
            "Routine: please see the patient within 3 to 6 months.",
            "Meena Iyer",
            "P1",
            "Right eye",
            "Moderate non-proliferative diabetic retinopathy",
            "Left eye",
            "No apparent diabetic retinopathy",
            "Please check the left eye too.",
            "Dr Kavya Rao",
            "12 Gandhi Road",
            "+91 44 2345 6789",
            "not a diagnosis",
        ):
            self.assertIn(words, found)
        self.assertEqual(
            len([i for p in reader(referral_letter_pdf(report, "en")).pages for i in p.images]), 0
        )

    def test_it_takes_the_urgency_from_the_outcome(self) -> None:
        cases = [
            ("Urgent: please see the patient within days.", self.signed(4, 0)),
            ("Urgent: please see the patient within days.", self.signed(1, 0, dme=2)),
            ("Soon: please see the patient within a few weeks.", self.signed(3, 1)),
        ]
        for urgency, report in cases:
            with self.subTest(urgency=urgency):
                self.assertIn(urgency, text(referral_letter_pdf(report, "en")))

    def test_it_writes_the_letter_in_hindi_and_tamil(self) -> None:
        from django.utils import translation

        report = self.signed(4, 0)
        for language in ("hi", "ta"):
            with translation.override(language):
                stage = translation.gettext("Proliferative diabetic retinopathy")
            with self.subTest(language=language):
                self.assertIn(compact(stage), compact(text(referral_letter_pdf(report, language))))

    def test_it_writes_the_centre_contact_intact_in_every_script(self) -> None:
        # The contact block is several lines of Latin words and digits; in a Hindi or Tamil
        # letter the digits come from the script's font right after a Latin (fallback) run.
        visit = make_visit(self.patient, self.screener)
        graded_image(visit, "right", self.screener, grade=None)
        graded_image(visit, "left", self.screener, grade=3, dme_risk=1)
        report = signed_report(
            visit,
            self.doctor,
            {"left": EyeDecision(grade=4, reason="New vessels.")},
            note="Blood sugar poorly controlled.",
            version=2,
            amendment_reason="Second look.",
        )
        for language in ("en", "hi", "ta"):
            with self.subTest(language=language):
                data = referral_letter_pdf(report, language)
                found = compact(text(data))
                pages = len(reader(data).pages)  # the centre heads every page, then signs
                self.assertEqual(found.count(compact("12 Gandhi Road")), pages + 1)
                self.assertEqual(found.count(compact("+91 44 2345 6789")), pages + 1)

    def test_it_refuses_a_letter_for_a_report_that_does_not_refer(self) -> None:
        for report in (self.signed(0, 1), self.signed(None, 0)):
            with self.assertRaisesMessage(NotReferable, "does not refer the patient"):
                referral_letter_pdf(report, "en")

    def test_it_follows_an_amendment_that_makes_the_report_referable(self) -> None:
        visit = make_visit(self.patient, self.screener)
        graded_image(visit, "right", self.screener, grade=0)
        graded_image(visit, "left", self.screener, grade=0)
        first = signed_report(visit, self.doctor)
        amended = signed_report(
            visit,
            self.doctor,
            {"left": EyeDecision(grade=3, reason="Venous beading in two quadrants.")},
            version=2,
            amendment_reason="Missed findings on the left.",
        )
        self.assertRaises(NotReferable, referral_letter_pdf, first, "en")
        found = text(referral_letter_pdf(amended, "en"))
        self.assertIn("Amended report, version 2.", found)
        self.assertIn("Missed findings on the left.", found)
        self.assertIn("Soon: please see the patient within a few weeks.", found)
