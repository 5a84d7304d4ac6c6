"""Which reviews a person reads before they appear. Plain Python.

The policy: a review is published at once unless it carries a link, an e-mail
address or a phone number. Those are how spam and touts reach parents (and how a
parent might expose their own number by mistake), so they wait for staff; the
rest of a verified buyer's words go up unedited.
"""

from __future__ import annotations

import re

LINK = re.compile(
    r"https?://|www\.|\b[a-z0-9-]+\.(?:com|in|net|org|io|co|me|ly|app|xyz|info|biz|shop)\b",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
# Ten or more digits (an Indian mobile or a landline with its code), allowing the
# spaces, dashes and brackets people type in numbers ("+91 98765-43210"); dates such
# as 12-10-2026 and specifications such as "48 hours, IP68" stay short of it.
PHONE = re.compile(r"(?:\+?\d[\s()-]{0,2}){10,}")


def hold_reasons(*texts: str) -> list[str]:
    """Why these texts should wait for a person: "link", "email" or "phone" (may be empty)."""
    joined = "\n".join(texts)
    checks = (("link", LINK), ("email", EMAIL), ("phone", PHONE))
    return [reason for reason, pattern in checks if pattern.search(joined)]
