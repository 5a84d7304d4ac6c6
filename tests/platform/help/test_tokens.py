"""The search tokeniser keeps Hindi and Tamil words whole (vowel signs, viramas, joiners)."""

from carewatch.platform.help.tokens import tokenise


def test_it_keeps_hindi_words_with_vowel_signs_and_viramas_whole() -> None:
    assert tokenise("मेरा बच्चा नहीं मिल रहा!") == ["मेरा", "बच्चा", "नहीं", "मिल", "रहा"]
    assert tokenise("घड़ी की बैटरी") == ["घड़ी", "की", "बैटरी"]


def test_it_keeps_tamil_words_with_pulli_and_vowel_signs_whole() -> None:
    assert tokenise("என் குழந்தை எங்கே?") == ["என்", "குழந்தை", "எங்கே"]
    assert tokenise("பாதுகாப்பான இடம்") == ["பாதுகாப்பான", "இடம்"]


def test_it_drops_zero_width_joiners_inside_a_word() -> None:
    assert tokenise("क्\u200dष") == ["क्ष"]
    assert tokenise("ஸ்ரீ\u200c") == ["ஸ்ரீ"]


def test_it_lowercases_and_splits_latin_and_numbers_on_punctuation() -> None:
    assert tokenise("SOS-button, 4G watch; IP68!") == ["sos", "button", "4g", "watch", "ip68"]


def test_it_reads_code_mixed_text_and_decomposed_input_alike() -> None:
    assert tokenise("watch ka SIM कैसे डालें") == ["watch", "ka", "sim", "कैसे", "डालें"]
    assert tokenise("cafe\u0301") == ["café"]


def test_it_returns_nothing_for_punctuation_emoji_or_control_characters() -> None:
    assert tokenise("?!… 🙏 \x00\x1b[31m") == ["31m"]
    assert tokenise("") == []
