"""How questions become search terms, and what is kept of a page path (pure)."""

from __future__ import annotations

import pytest

from carewatch.platform.assistant.text import clean, fold, safe_page, terms, words


def test_indic_words_stay_whole() -> None:
    assert words("मेरा बच्चा कहाँ है") == ["मेरा", "बच्चा", "कहां", "है"]
    assert words("குழந்தை எங்கே இருக்கிறது") == ["குழந்தை", "எங்கே", "இருக்கிறது"]


def test_latin_accents_go_but_indic_signs_stay() -> None:
    assert fold("Café") == "cafe"
    assert fold("கடிகாரம்") == "கடிகாரம்"


def test_hindi_nukta_and_chandrabindu_are_folded() -> None:
    assert fold("ज़रूरी") == fold("जरूरी")
    assert fold("कहाँ") == fold("कहां")


def test_stop_words_are_dropped_and_indic_words_give_a_prefix_stem() -> None:
    assert terms("How do I pair the watch?") == ["pair", "watch"]
    assert "கடிகா~" in terms("கடிகாரத்தை", prefix=5)


def test_control_characters_and_direction_overrides_are_removed_and_length_capped() -> None:
    assert clean("a\x00b\u202ec\n\td") == "a bc d"
    assert len(clean("x" * 10_000)) == 500


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("/kids/tracker/family/3/map/?x=1#y", "/kids/tracker/family/3/map/"),
        ("/eyes/my/r/AbCdEf123456789xyz/", "/eyes/my/r/…/"),
        ("https://evil.example/", ""),
        ("//evil.example/", ""),
        ("", ""),
    ],
)
def test_the_page_path_keeps_no_query_no_other_site_and_no_secret_token(
    path: str, kept: str
) -> None:
    assert safe_page(path) == kept
