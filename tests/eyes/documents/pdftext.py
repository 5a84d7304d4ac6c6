"""Reading a generated PDF back as a reader would."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def text(data: bytes) -> str:
    """All pages' text with runs of white space (and zero width spaces) as one space."""
    raw = " ".join(page.extract_text() for page in reader(data).pages)
    return " ".join(raw.replace("\u200b", "").split())


def words(s: str) -> str:
    return " ".join(s.split())


def compact(s: str) -> str:
    """Without any white space: readers split a shaped Indic word where a vowel sign is
    positioned under or over its consonant ("कु छ" for "कुछ"); the letters stay in order."""
    return "".join(s.split()).replace("\u200b", "")


def font_names(data: bytes) -> set[str]:
    names = set()
    for page in reader(data).pages:
        fonts = page["/Resources"].get_object()["/Font"].get_object()  # type: ignore[index]
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def glyph_texts(data: bytes) -> set[str]:
    """What each embedded glyph stands for, from the fonts' ToUnicode maps."""
    found = set()
    for page in reader(data).pages:
        fonts = page["/Resources"].get_object()["/Font"].get_object()  # type: ignore[index]
        for ref in fonts.values():
            cmap = ref.get_object()["/ToUnicode"].get_object().get_data().decode()
            for target in re.findall(r"<[0-9A-F]+> <([0-9A-F]*)>", cmap):
                found.add(bytes.fromhex(target).decode("utf-16-be"))
    return found
