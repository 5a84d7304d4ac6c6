"""Codes from the pure layer become sentences in one place, in the reader's language."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from carewatch.eyes import clinical, wording
from carewatch.eyes.review.snapshot import NO_PHOTO
from carewatch.eyes.screening.upload_errors import CODES
from retina.quality import REASONS as GRADER_REASONS

CLINICAL = [
    *clinical.STAGES.values(),
    *clinical.DME_RISKS.values(),
    *(words for pair in clinical.RECOMMENDATIONS.values() for words in pair),
    *clinical.URGENCY.values(),
    clinical.DISCLAIMER,
]


@pytest.mark.parametrize("code", CODES)
def test_every_upload_code_has_a_sentence_that_says_what_to_do(code: str) -> None:
    sentence = wording.upload_error(
        code, {"mb": 30, "format": "GIF", "width": 1, "height": 1, "min": 200}
    )
    assert ":" in sentence and sentence.endswith(".")


@pytest.mark.parametrize("code", [*GRADER_REASONS, NO_PHOTO])
def test_every_grader_reason_code_has_a_sentence(code: str) -> None:
    assert wording.reason_words(code, {"min_side": 150}) not in ("", code)


@pytest.mark.parametrize("code", [*GRADER_REASONS, NO_PHOTO])
def test_every_grader_reason_is_translated_into_hindi(code: str) -> None:
    english = wording.reason_words(code, {"min_side": 150})
    with override("hi"):
        assert wording.reason_words(code, {"min_side": 150}) != english


@pytest.mark.parametrize("sentence", CLINICAL)
def test_every_clinical_sentence_is_translated_into_hindi_and_tamil(sentence: str) -> None:
    """A reworded sentence in clinical.py fails here instead of silently losing its words."""
    for language in ("hi", "ta"):
        with override(language):
            assert wording.gettext(sentence) != sentence, language


def test_it_gives_the_size_of_a_photo_too_small_to_grade() -> None:
    assert "150 px" in wording.reason_words("too_small", {"min_side": 150.0})


def test_it_still_words_the_english_reasons_stored_before_the_codes() -> None:
    stored = "The photo is too dark; retake it with more light or a dilated pupil."
    small = "The photo is too small (120 px); send one at least 200 px on each side."
    with override("hi"):
        assert wording.reason_words(stored) == wording.reason_words("too_dark")
        assert "120" in wording.reason_words(small) and wording.reason_words(small) != small


def test_it_shows_any_other_reason_as_written() -> None:
    assert wording.reason_words("Camera lens was dusty.") == "Camera lens was dusty."
