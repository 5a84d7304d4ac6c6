"""Words of a text for search, in English, Hindi and Tamil alike: plain Python, no Django.

Python's `\\w` stops at the vowel signs and viramas of Devanagari and Tamil (they are
marks, category M, not letters), so "बच्चा" would fall apart into pieces. A word here is a
run of letters, marks and digits (the `regex` package knows the Unicode categories), in
lower case, after NFC normalisation; zero-width joiners and non-joiners, which some
keyboards put inside Indic words, are dropped so the word stays whole.
"""

from __future__ import annotations

import unicodedata

import regex

WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200d\u00ad\ufeff"))  # ZWNJ, ZWJ, soft hyphen, BOM


def tokenise(text: str) -> list[str]:
    """The words of `text`, lower case, in order; punctuation and symbols are dropped."""
    clean = unicodedata.normalize("NFC", text.translate(INVISIBLE)).lower()
    return WORD.findall(clean)
