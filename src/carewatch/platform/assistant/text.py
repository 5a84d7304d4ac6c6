"""What a question becomes before it is searched (pure: no Django).

`clean` makes typed text safe (control characters out, bounded length); `terms` turns it
into index terms with the help centre's Indic-aware tokeniser plus light normalisation:
lowercase, diacritics stripped from Latin letters only (a Devanagari or Tamil vowel sign
is part of the word), Hindi nukta and chandrabindu folded (ज़ = ज, ँ = ं), common
English stop words and question words dropped. `safe_page` keeps the page path a user was
on without a private token that may sit in it (the patient's link).
"""

from __future__ import annotations

import re
import unicodedata

from carewatch.platform.lib.text import strip_bidi

MAX_QUESTION_CHARS = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_NUKTA, _CHANDRABINDU, _ANUSVARA = "\u093c", "\u0901", "\u0902"
# Whole words: letters with their combining signs (vowel signs, virama, nukta) and digits.
_WORD = re.compile(r"[^\W_][\w\u0900-\u097f\u0b80-\u0bff\u200c\u200d]*", re.UNICODE)

_STOP_WORDS = """a an the is are am was were be been do does did i my me we our you your it its this
    that to of in on at for with and or but how what why when where which who can could
    should would will shall please pls plz hi hello there any some get got have has had
    not no so if as by from up about into there their they them he she his her him us
    ka ki ke ko hai hain kya kaise kyu kyun mera meri mere se me mein par aur ya bhi
    kab kaha kahan kare karen karein karna karte karu kar raha rahi rahe tha thi hota hoti
    ho gaya gayi nahi nahin ab abhi toh to wala wali jab tab liye chahiye sakta sakte
    enna eppadi yen en ennoda la le ku oru irukku illa illai eppo enga ethuku epdi
    pannanum panna pannalam panrathu aagum aachu varum vara venum vendum naan nan unga
    ungal ah va da ji
    है हैं का की के को में से क्या कैसे क्यों मेरा मेरी मेरे पर और भी नहीं हो रहा रही तो यह वह
    कब कहां करें करना कर था थी मुझे हम आप
    என் என்ன எப்படி ஏன் ஒரு இது அது நான் எனக்கு எனது உள்ளது இருக்கிறது எங்கே எப்போது"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def clean(text: str, limit: int = MAX_QUESTION_CHARS) -> str:
    """The question as we keep it: no control or direction characters, spaces collapsed."""
    text = _CONTROL.sub(" ", strip_bidi(unicodedata.normalize("NFC", text or "")))
    return " ".join(text.split())[:limit]


def fold(word: str) -> str:
    word = unicodedata.normalize("NFD", word.casefold())
    # Latin accents are U+0300-U+036F; Indic vowel signs and viramas lie elsewhere and stay.
    word = "".join(c for c in word if not "\u0300" <= c < "\u0370")
    return fold_indic(word)


def fold_indic(text: str) -> str:
    """Hindi nukta dropped (ज़ = ज), chandrabindu as anusvara, zero-width joiners out."""
    text = unicodedata.normalize("NFD", text).replace(_NUKTA, "").replace(_CHANDRABINDU, _ANUSVARA)
    return unicodedata.normalize("NFC", text.replace("\u200c", "").replace("\u200d", ""))


def words(text: str) -> list[str]:
    """Whole words (Indic words kept whole), folded."""
    return [fold(w) for w in _split(text)]


def _split(text: str) -> list[str]:
    try:  # the help centre's tokeniser, once it is there
        from carewatch.platform.help.tokens import tokenise
    except ImportError:
        return _WORD.findall(text)
    return list(tokenise(text))


def terms(text: str, prefix: int = 0) -> list[str]:
    """Index terms: folded words without stop words; with `prefix`, Indic words also give
    their first `prefix` letters (a cheap stem: Tamil and Hindi add endings to words)."""
    out: list[str] = []
    for word in words(text):
        if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        out.append(word)
        if prefix and not word.isascii() and len(word) > prefix:
            out.append(word[:prefix] + "~")

        elif word.isascii() and len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            out.append(word[:-1])
    return out


def is_latin_word(word: str) -> bool:
    return word.isascii() and any(c.isalpha() for c in word)


def safe_page(path: str) -> str:
    """A path on this site, without query, and without a segment that looks like a secret."""
    path = clean(path, 300).split("?")[0].split("#")[0]
    if not path.startswith("/") or path.startswith("//"):
        return ""
    return "/".join("…" if _looks_secret(part) else part for part in path.split("/"))


def _looks_secret(segment: str) -> bool:
    return len(segment) >= 16 and any(c.isdigit() for c in segment) and not segment.isdigit()
