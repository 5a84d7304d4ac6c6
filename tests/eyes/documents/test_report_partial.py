"""The signed report as an HTML partial: the same document as the PDF, images inline."""

from __future__ import annotations

import base64
import re

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from carewatch.eyes.documents.pdf import report_pdf
from carewatch.eyes.documents.report import document_for
from carewatch.eyes.review.snapshot import EyeDecision
from tests.base import BaseTestCase
from tests.eyes.documents.pdftext import compact, text
from tests.eyes.factories.photos import graded_image, heatmap_png
from tests.eyes.factories.reports import MODEL_VERSION, signed_report
from tests.eyes.helpers import make_patient, make_visit


class ReportPartialTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.visit = make_visit(self.patient, self.screener)
        graded_image(self.visit, "right", self.screener, grade=1)
        graded_image(self.visit, "left", self.screener, grade=2, dme_risk=1)
        self.report = signed_report(
            self.visit,
            self.doctor,
            {"right": EyeDecision(grade=0, reason="Dust on the lens, not a microaneurysm.")},
            note="Review blood pressure.",
        )

    def html(self, language: str = "en") -> str:
        with translation.override(language):
            return render_to_string("documents/_report.html", {"doc": document_for(self.report)})

    def test_it_shows_both_eyes_the_worse_eye_and_the_recommendation(self) -> None:
        html = self.html()
        self.assertIn("Right eye", html)
        self.assertIn("Left eye", html)
        self.assertIn("Left eye: Moderate non-proliferative diabetic retinopathy", html)
        self.assertIn("Possible macular edema: exudates away from the centre of vision", html)
        self.assertIn("Refer to an eye doctor (referable diabetic retinopathy).", html)
        self.assertIn("See an eye doctor within 3 to 6 months.", html)
        self.assertIn(f"Model version: {MODEL_VERSION}.", html)
        self.assertIn("decision support produced by software, not a diagnosis", html)
        self.assertIn("Review blood pressure.", html)
        self.assertIn("Dr Kavya Rao", html)

    def test_it_says_where_the_doctor_changed_the_software_and_why(self) -> None:
        html = self.html()
        self.assertIn(
            escape(
                "The doctor changed the software's finding (software: Mild non-proliferative "
                "diabetic retinopathy (microaneurysms only); No signs of macular edema). "
                "Reason: Dust on the lens, not a microaneurysm."
            ),
            html,
        )
        self.assertIn(escape("Agrees with the software's finding."), html)

    def test_it_inlines_the_heatmaps_so_the_page_needs_no_staff_image_url(self) -> None:
        html = self.html()
        uris = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
        self.assertEqual([base64.b64decode(u) for u in uris], [heatmap_png(), heatmap_png()])
        self.assertIn('alt="Heatmap: where the software looked (Right eye)"', html)
        self.assertNotIn("/images/", html)

    def test_it_writes_the_page_in_the_language_asked_for(self) -> None:
        with translation.override("ta"):
            stage = translation.gettext("Moderate non-proliferative diabetic retinopathy")
        html = self.html("ta")
        self.assertIn(stage, html)
        self.assertIn('lang="ta"', html)
        self.assertNotIn("Moderate non-proliferative", html)

    def test_it_puts_every_line_of_the_page_in_the_pdf(self) -> None:
        for language in ("en", "hi"):
            with translation.override(language):
                doc = document_for(self.report)
            found = compact(text(report_pdf(self.report, language)))
            rows = doc.patient_rows + doc.result_rows + doc.signature_rows
            rows += [row for eye in doc.eyes for row in eye.rows]
            for label, value in rows:
                with self.subTest(language=language, label=label):
                    self.assertIn(compact(label), found)
                    self.assertIn(compact(value), found)
