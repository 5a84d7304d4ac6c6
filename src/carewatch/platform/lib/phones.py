"""Phone numbers as people type them, in plain Python: one stored form (E.164) so the
SMS provider accepts it and a booking can be matched to a registered patient."""

from __future__ import annotations

import re

SEPARATORS = re.compile(r"[\s\-().]")
E164 = re.compile(r"\+[1-9][0-9]{7,14}")
INDIAN_MOBILE = re.compile(r"[6-9][0-9]{9}")


def normalise_phone(raw: str) -> str | None:
    """+91 and the ten digits for an Indian mobile typed any usual way; other countries
    only with + and the country code. None when it cannot be a mobile number."""
    phone = SEPARATORS.sub("", raw)
    if phone.startswith("00"):
        phone = "+" + phone[2:]
    if phone.startswith("+"):
        return phone if E164.fullmatch(phone) else None
    if len(phone) == 11 and phone.startswith("0"):
        phone = phone[1:]
    elif len(phone) == 12 and phone.startswith("91"):
        phone = phone[2:]
    return "+91" + phone if INDIAN_MOBILE.fullmatch(phone) else None


def same_phone(a: str, b: str) -> bool:
    first = normalise_phone(a)
    return first is not None and first == normalise_phone(b)
