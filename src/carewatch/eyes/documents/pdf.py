"""The signed report and the referral letter as PDF, in English, Hindi or Tamil.

fpdf2 with HarfBuzz text shaping: Devanagari and Tamil conjuncts and vowel signs are only
right when shaped. The report and the page read the same ReportDocument (content.py), so the
PDF says what the HTML says. Chosen over WeasyPrint (needs Pango and system libraries we do
not ship) and ReportLab (no complex-script shaping): fpdf2 is pure Python with uharfbuzz.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image

from carewatch.eyes.documents.report import ReportDocument, Row, document_for
from carewatch.eyes.review.models import SignedReport

FONTS = Path(__file__).parent / "fonts"
FAMILIES = {"latin": "NotoSans", "deva": "NotoSansDevanagari", "tamil": "NotoSansTamil"}
# The script of the language first; the others catch names and words in another script.
SCRIPT_ORDER = {
    "en": ("latin", "deva", "tamil"),
    "hi": ("deva", "latin", "tamil"),
    "ta": ("tamil", "latin", "deva"),
}
NO_TEXT = (0x200B,)  # zero width space: what a glyph that carries no text of its own "says"


class NotReferable(ValueError):
    """A referral letter was asked for a report that does not refer the patient."""


def check_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        codes = ", ".join(code for code, _name in settings.LANGUAGES)
        raise ValueError(f"Unknown language {language!r}: choose one of {codes}.")
    return language


def report_pdf(report: SignedReport, language: str, for_patient: bool = False) -> bytes:
    """The signed report in that language (the patient's copy: the doctor's result only)."""
    with translation.override(check_language(language)):
        doc = document_for(report, for_patient)
        pdf = DocumentPDF(doc, doc.title, report)
        pdf.report_body()
        return pdf.to_bytes()


def referral_letter_pdf(report: SignedReport, language: str) -> bytes:
    """A letter to the eye department; only for a report that refers the patient."""
    if not report.referable:
        raise NotReferable(
            "This report does not refer the patient, so there is no referral letter: "
            "download the report instead."
        )
    with translation.override(check_language(language)):
        doc = document_for(report)
        pdf = DocumentPDF(doc, doc.labels["referral_title"], report)
        pdf.letter_body()
        return pdf.to_bytes()


class DocumentPDF(FPDF):
    def __init__(self, doc: ReportDocument, title: str, report: SignedReport) -> None:
        super().__init__(format="A4")
        self.doc = doc
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=20)
        order = SCRIPT_ORDER.get(doc.language, SCRIPT_ORDER["en"])
        for script in order:
            family = FAMILIES[script]
            self.add_font(family, "", FONTS / f"{family}-Regular.ttf")
            self.add_font(family, "B", FONTS / f"{family}-Bold.ttf")
        self.family_name = FAMILIES[order[0]]
        self.set_font(self.family_name, size=10)
        self.set_fallback_fonts([FAMILIES[s] for s in order[1:]])
        self.set_text_shaping(True)
        # The document's own words only: no patient name in the metadata or file name.
        self.set_title(title)
        self.set_lang(doc.language)
        self.set_author(doc.centre_name)
        self.set_creator("CareWatch")
        self.set_creation_date(report.signed_at)
        self.page_words = _("Page %(page)s of %(pages)s")
        self.alias_nb_pages()
        self.add_page()

    # fpdf2 2.8: after a call whose text was drawn entirely in a fallback font (a Latin name
    # in a Tamil report), the page keeps that font selected while fpdf2 believes the main
    # font is, and the next call's text is drawn with the wrong font's glyphs ("12" comes
    # out as ",2"). Selecting the font again before every call avoids it.
    def cell(self, *args: Any, **kwargs: Any) -> Any:
        self.current_font_is_set_on_page = False
        return super().cell(*args, **kwargs)

    def multi_cell(self, *args: Any, **kwargs: Any) -> Any:
        self.current_font_is_set_on_page = False
        return super().multi_cell(*args, **kwargs)

    def header(self) -> None:
        self.set_font(self.family_name, "B", 12)
        self.cell(0, 6, one_line(self.doc.centre_name), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family_name, "", 9)
        if self.doc.centre_lines:
            line = one_line(" · ".join(self.doc.centre_lines))
            self.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family_name, "", 8)
        words = self.page_words % {"page": self.page_no(), "pages": self.str_alias_nb_pages}
        self.cell(0, 6, words, align="C")

    def to_bytes(self) -> bytes:
        for font in self.fonts.values():
            _fill_unmapped_glyphs(font)
        return bytes(self.output())

    # The report ------------------------------------------------------------------------

    def report_body(self) -> None:
        doc = self.doc
        self.title_line(doc.title)
        self.notice()
        self.heading(doc.labels["patient"])
        self.rows(doc.patient_rows)
        self.heading(doc.labels["result"])
        self.rows(doc.result_rows)
        for eye in doc.eyes:
            self.keep_together(85 if eye.heatmap_png else 40)
            self.heading(eye.label)
            if eye.heatmap_png:
                self.heatmap(eye.heatmap_png, f"{doc.labels['heatmap']} ({eye.label})")
            self.rows(eye.rows)
        if doc.heatmap_note:
            self.paragraph(doc.heatmap_note)
        self.note()
        self.keep_together(30)
        self.heading(doc.labels["signed"])
        self.rows(doc.signature_rows)
        self.small_print()

    # The referral letter ---------------------------------------------------------------

    def letter_body(self) -> None:
        doc = self.doc
        self.title_line(doc.labels["referral_title"])
        self.notice()
        self.paragraph(doc.labels["referral_to"], bold=True)
        self.paragraph(doc.labels["referral_body"])
        self.rows([(doc.labels["urgency"], doc.urgency)], bold_values=True)
        self.heading(doc.labels["patient"])
        self.rows(doc.patient_rows)
        self.heading(doc.labels["findings"])
        for eye in doc.eyes:
            self.paragraph(eye.label, bold=True)
            self.rows(eye.rows)
        self.note()
        self.keep_together(30)
        self.heading(doc.labels["signed"])
        self.rows(doc.signature_rows)
        self.keep_together(30)
        self.heading(doc.labels["contact"])
        self.paragraph("\n".join([doc.centre_name, *doc.centre_lines]))
        self.small_print()

    # Pieces ----------------------------------------------------------------------------

    def title_line(self, text: str) -> None:
        self.set_font(self.family_name, "B", 16)
        self.multi_cell(0, 8, one_line(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family_name, "", 10)
        self.ln(2)

    def notice(self) -> None:
        if self.doc.amendment_notice:
            self.paragraph(self.doc.amendment_notice, bold=True)

    def keep_together(self, height: float) -> None:
        """A new page now rather than a heading left alone at the foot of this one."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(self.family_name, "B", 12)
        self.multi_cell(0, 7, one_line(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family_name, "", 10)

    def paragraph(self, text: str, bold: bool = False) -> None:
        self.set_font(self.family_name, "B" if bold else "", 10)
        # One call per line: the same fpdf2 slip (see cell()) happens after a "\n" inside one
        # call, where nothing can select the font again.
        for line in text.splitlines() or [""]:
            self.multi_cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family_name, "", 10)
        self.ln(1)

    def rows(self, rows: Sequence[Row], bold_values: bool = False) -> None:
        bold = FontFace(emphasis="BOLD")
        with self.table(
            col_widths=(30, 70),
            first_row_as_headings=False,
            borders_layout="NONE",
            text_align="LEFT",
            v_align="TOP",
            line_height=5,
            padding=(0.5, 1, 0.5, 0),
        ) as table:
            for label, value in rows:
                row = table.row()
                row.cell(one_line(label), style=bold)
                row.cell(one_line(value), style=bold if bold_values else None)

    def heatmap(self, png: bytes, alt: str) -> None:
        # Decoded and re-encoded: only pixels reach the PDF, no metadata the PNG may carry.
        image = Image.open(io.BytesIO(png)).convert("RGB")
        self.image(image, w=45, alt_text=alt)
        self.ln(1)

    def note(self) -> None:
        if self.doc.doctor_note:
            self.keep_together(25)
            self.heading(self.doc.labels["doctor_note"])
            self.paragraph(self.doc.doctor_note)

    def small_print(self) -> None:
        self.ln(3)
        self.set_font(self.family_name, "", 8)
        text = self.doc.disclaimer
        if self.doc.model_versions:
            versions = ", ".join(self.doc.model_versions)
            text = f"{text} {self.doc.labels['model_version']}: {versions}."
        self.multi_cell(0, 4.5, one_line(text), new_x="LMARGIN", new_y="NEXT")


def one_line(text: str) -> str:
    """Line breaks as spaces (see paragraph() for why one call must not hold one)."""
    return " ".join(text.splitlines())


def _fill_unmapped_glyphs(font: Any) -> None:
    """Give every glyph a text mapping, so copied or extracted text is the words we wrote.

    When shaping turns a cluster (a consonant with its vowel sign, a conjunct) into several
    glyphs, fpdf2 maps the cluster's text to the first glyph and nothing to the others, and
    readers then show the others' raw codes as stray characters. They carry no text of their
    own: a zero width space says so.
    """
    subset = font.get("subset") if isinstance(font, dict) else getattr(font, "subset", None)
    if subset is None:
        return
    for glyph, _code in subset.items():
        if glyph is not None and glyph.unicode == ():
            glyph.unicode = NO_TEXT
