"""The signed report as PDF in English, Hindi and Tamil: same words as the page, shaped text."""

from __future__ import annotations

from django.utils import translation

from carewatch.eyes.clinical import Outcome
from carewatch.eyes.documents.pdf import report_pdf
from carewatch.eyes.review.snapshot import EyeDecision
from carewatch.eyes.wording import DISCLAIMER, RECOMMENDATIONS, STAGES
from tests.base import BaseTestCase
from tests.eyes.documents.pdftext import compact, font_names, glyph_texts, reader, text, words
from tests.eyes.factories.photos import graded_image
from tests.eyes.factories.reports import MODEL_VERSION, signed_report
from tests.eyes.helpers import aptos_photos, make_patient, make_visit
from tests.eyes.test_eyes_grading import MODEL_VERSION as GRADER_VERSION
from tests.eyes.test_eyes_grading import GradingCase


class ReportPdfTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.visit = make_visit(self.patient, self.screener)
        graded_image(self.visit, "right", self.screener, grade=0)
        graded_image(self.visit, "left", self.screener, grade=3)
        self.report = signed_report(self.visit, self.doctor, note="Blood sugar poorly controlled.")

    def translated(self, language: str, message: object) -> str:
        with translation.override(language):
            return compact(str(message))

    def test_it_writes_the_stage_recommendation_and_disclaimer_in_each_language(self) -> None:
        for language in ("en", "hi", "ta"):
            with self.subTest(language=language):
                found = compact(text(report_pdf(self.report, language)))
                for message in (
                    STAGES[3],
                    STAGES[0],
                    RECOMMENDATIONS[Outcome.REFER_WEEKS][0],
                    RECOMMENDATIONS[Outcome.REFER_WEEKS][1],
                    DISCLAIMER,
                ):
                    self.assertIn(self.translated(language, message), found)
                self.assertIn(MODEL_VERSION, found)
                self.assertIn(compact("Blood sugar poorly controlled."), found)
                self.assertIn(compact("Dr Kavya Rao"), found)

    def test_it_writes_hindi_and_tamil_that_is_not_english(self) -> None:
        hindi, tamil = text(report_pdf(self.report, "hi")), text(report_pdf(self.report, "ta"))
        self.assertNotIn("Severe non-proliferative", hindi)
        self.assertNotIn("Severe non-proliferative", tamil)
        self.assertRegex(hindi, "[\u0900-\u097f]{4}")
        self.assertRegex(tamil, "[\u0b80-\u0bff]{4}")

    def test_it_embeds_the_devanagari_and_tamil_fonts(self) -> None:
        self.assertTrue(
            any("NotoSansDevanagari" in f for f in font_names(report_pdf(self.report, "hi")))
        )
        self.assertTrue(
            any("NotoSansTamil" in f for f in font_names(report_pdf(self.report, "ta")))
        )
        english = font_names(report_pdf(self.report, "en"))
        self.assertTrue(any("NotoSans" in f for f in english))
        self.assertFalse(any("Tamil" in f for f in english))  # only the fonts it uses

    def test_it_shapes_devanagari_conjuncts_and_tamil_vowel_signs(self) -> None:
        # Shaped, क्ष (in लक्षण) is one conjunct glyph, and the Tamil vowel sign of தெ (in
        # தெரியவில்லை) is drawn before its consonant, that first glyph standing for the whole
        # cluster; unshaped, each code point would be a glyph of its own, in typed order.
        self.assertIn("क्ष", glyph_texts(report_pdf(self.report, "hi")))
        self.assertIn("தெ", glyph_texts(report_pdf(self.report, "ta")))
        self.assertNotIn("क्ष", glyph_texts(report_pdf(self.report, "en")))

    def test_it_shows_each_eyes_heatmap_as_an_image(self) -> None:
        images = [
            img for page in reader(report_pdf(self.report, "en")).pages for img in page.images
        ]
        self.assertEqual(len(images), 2)

    def test_it_carries_the_title_language_and_no_patient_name_in_its_metadata(self) -> None:
        pdf = reader(report_pdf(self.report, "hi"))
        metadata = pdf.metadata
        assert metadata is not None
        with translation.override("hi"):
            title = translation.gettext("Diabetic eye screening report")
        self.assertEqual(metadata.title, title)
        self.assertEqual(pdf.root_object["/Lang"], "hi")
        self.assertNotIn(self.patient.name, str(dict(metadata)))
        self.assertEqual(metadata.author, "Demo Centre")

    def test_it_numbers_its_pages_and_heads_them_with_the_centre(self) -> None:
        self.clinic.address, self.clinic.city = "12 Gandhi Road", "Chennai"
        self.clinic.save()
        pdf = reader(report_pdf(self.report, "en"))
        pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, 1):
            found = words(page.extract_text())
            self.assertIn(f"Page {number} of {pages}", found)
            self.assertIn("Demo Centre", found)
            self.assertIn("12 Gandhi Road · Chennai", found)

    def test_it_says_an_amended_report_is_version_2_and_why(self) -> None:
        signed_report(
            self.visit,
            self.doctor,
            {"left": EyeDecision(grade=4, reason="New vessels at the disc.")},
            version=2,
            amendment_reason="Second look at the left photo.",
        )
        amended = self.visit.signed_reports.get(version=2)
        found = text(report_pdf(amended, "en"))
        self.assertIn("Amended report, version 2.", found)
        self.assertIn("Second look at the left photo.", found)
        self.assertIn("Proliferative diabetic retinopathy", found)
        self.assertIn("New vessels at the disc.", found)
        self.assertIn("See an eye doctor urgently, within days.", found)
        self.assertNotIn("Amended report", text(report_pdf(self.report, "en")))

    def test_it_never_calls_an_ungradable_eye_normal(self) -> None:
        visit = make_visit(self.patient, self.screener)
        graded_image(visit, "right", self.screener, grade=None)
        graded_image(visit, "left", self.screener, grade=0)
        found = text(report_pdf(signed_report(visit, self.doctor), "en"))
        self.assertIn("Image quality: cannot be graded. The photo is too dark", found)
        self.assertIn("At least one eye could not be graded", found)
        self.assertNotIn("Screen again in 12 months", found)

    def test_it_refuses_an_unknown_language_with_a_sentence(self) -> None:
        with self.assertRaisesMessage(
            ValueError, "Unknown language 'fr': choose one of en, hi, ta."
        ):
            report_pdf(self.report, "fr")

    def test_it_writes_a_name_in_another_script_than_the_report(self) -> None:
        self.patient.name = "மீனா ஐயர் मीना"
        self.patient.save()
        for language in ("en", "hi", "ta"):
            with self.subTest(language=language):
                found = compact(text(report_pdf(self.report, language)))
                self.assertIn(compact("மீனா ஐயர் मीना"), found)


class RealGradingTests(GradingCase):
    def test_it_reports_real_photos_graded_by_the_model_with_their_heatmaps(self) -> None:
        right, left = aptos_photos(2)
        self.send(right=right.read_bytes(), left=left.read_bytes())
        report = signed_report(self.visit, self.doctor)
        data = report_pdf(report, "en")
        images = [img for page in reader(data).pages for img in page.images]
        self.assertEqual(len(images), 2)
        found = text(data)
        self.assertIn(f"Model version: {GRADER_VERSION}.", found)
        self.assertRegex(found, "Screen again in 12 months|See an eye doctor")
        self.assertIn("Image quality Good enough to grade", found)
