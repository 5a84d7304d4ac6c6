"""The invitation a patient can pass on: a friendly text and a link to the centre finder.

It carries no health data and nothing that names the sender: the text is the same for
everyone, and the referral code is random, not derived from the patient.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote, urlencode

# No 0/O or 1/I/L: the code may be read aloud or typed from a screenshot.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 7


def new_referral_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def invitation_url(site_url: str, finder_path: str, code: str) -> str:
    return f"{site_url.rstrip('/')}{finder_path}?{urlencode({'ref': code})}"


def share_links(text: str, url: str) -> dict[str, str]:
    message = f"{text} {url}"
    return {
        "whatsapp": "https://wa.me/?text=" + quote(message),
        "sms": "sms:?&body=" + quote(message),
    }
