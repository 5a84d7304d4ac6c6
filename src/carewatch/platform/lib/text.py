"""Text that people type, made safe to store and show (plain Python, no Django).

Bidirectional embedding, override and isolate controls (U+202A-202E, U+2066-2069) make a
name display in another order than it is stored: a patient's name came out reversed in
the PDF report, and the same trick disguises a place or a file name. No one writes
English, Hindi or Tamil with them, so they are removed. The zero-width joiners that
shape Indic scripts (U+200C, U+200D) are not direction controls and stay.
"""

from __future__ import annotations

BIDI_CONTROLS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_REMOVE = {ord(c): None for c in BIDI_CONTROLS}


def strip_bidi(text: str) -> str:
    return text.translate(_REMOVE)


def has_bidi(text: str) -> bool:
    return not BIDI_CONTROLS.isdisjoint(text)
