"""Private links and one-time codes, in plain Python (no Django): what a patient proves.

Only hashes are stored. A link token is long and random, so a plain SHA-256 is enough; a
6-digit code has only a million values, so it is hashed with a server key (HMAC): a copy of
the database alone cannot be searched for the codes.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets
from collections.abc import Iterable

LINK_LIFETIME = dt.timedelta(days=90)
CODE_LIFETIME = dt.timedelta(minutes=10)
CODE_TRIES = 5  # wrong tries before the code is dead and a new one is needed
CODES_PER_HOUR = 5  # per link: a code goes to a phone or an inbox, which costs and annoys
SESSION_LIFETIME = dt.timedelta(minutes=30)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def hash_code(code: str, key: str) -> str:
    return hmac.new(key.encode(), code.encode(), hashlib.sha256).hexdigest()


class Check(enum.Enum):
    RIGHT = "right"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED_UP = "used_up"  # too many wrong tries, or already used to open a session


def check_code(
    typed: str,
    code_hash: str,
    key: str,
    created: dt.datetime,
    failures: int,
    used: bool,
    now: dt.datetime,
) -> Check:
    """Expiry and tries are judged before the code, so a dead code never says "right"."""
    if used or failures >= CODE_TRIES:
        return Check.USED_UP
    if now >= created + CODE_LIFETIME:
        return Check.EXPIRED
    typed = "".join(typed.split())
    if hmac.compare_digest(hash_code(typed, key), code_hash):
        return Check.RIGHT
    return Check.WRONG


def may_send_code(sent: Iterable[dt.datetime], now: dt.datetime) -> bool:
    recent = [at for at in sent if at > now - dt.timedelta(hours=1)]
    return len(recent) < CODES_PER_HOUR


def mask_phone(phone: str) -> str:
    """Enough for the patient to recognise their own number, not enough to learn it."""
    digits = [c for c in phone if c.isdigit()]
    return "…" + "".join(digits[-2:]) if digits else ""


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}" if domain else ""
