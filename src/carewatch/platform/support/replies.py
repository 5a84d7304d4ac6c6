"""Replies by e-mail, in plain Python (no Django): the reply address, and the reply's
own words without the quoted conversation under it.

The answer e-mail's Reply-To is `reply+<token>@<domain>`. The token names the thread
and when it was issued, signed with an HMAC-SHA256 of the site's secret key (the same
construction as django.core.signing, written out here so that the token is lowercase:
some mail systems fold the local part of an address to lowercase, which would break
django.core.signing's base64). It does not expire by itself: `read_token` refuses one
older than `max_age`, and the webhook also checks that the sender is the thread's own.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from email.utils import getaddresses, parseaddr

SALT = "carewatch.support.reply"
PREFIX = "reply+"
SIGNATURE_LENGTH = 24  # hex digits: 96 bits
TOKEN = re.compile(r"([1-9][0-9]{0,17})-([0-9a-z]{1,10})-([0-9a-f]{24})")


def _signature(value: str, key: str) -> str:
    derived = hashlib.sha256(f"{SALT}{key}".encode()).digest()
    return hmac.new(derived, value.encode(), hashlib.sha256).hexdigest()[:SIGNATURE_LENGTH]


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def make_token(thread_id: int, issued: int, key: str) -> str:
    """`issued` in Unix seconds."""
    value = f"{thread_id}-{_base36(issued)}"
    return f"{value}-{_signature(value, key)}"


def read_token(token: str, *, now: int, key: str, max_age: int) -> int | None:
    """The thread id of a genuine token issued at most `max_age` seconds ago, else None."""
    match = TOKEN.fullmatch(token.lower())
    if match is None:
        return None
    thread_id, issued, signature = match.groups()
    expected = _signature(f"{thread_id}-{issued}", key)
    if not hmac.compare_digest(expected, signature):
        return None
    age = now - int(issued, 36)
    return int(thread_id) if -300 <= age <= max_age else None


def reply_address(token: str, domain: str) -> str:
    return f"{PREFIX}{token}@{domain}"


def token_from_recipients(to_field: str, domain: str) -> str | None:
    """The token of the first `reply+<token>@<domain>` among the recipients, if any."""
    for _name, address in getaddresses([to_field]):
        local, _at, host = address.rpartition("@")
        if host.lower() == domain.lower() and local.lower().startswith(PREFIX):
            return local[len(PREFIX) :]
    return None


def sender_address(from_field: str) -> str:
    """The bare address, lowercased ("" when there is none)."""
    address = parseaddr(from_field)[1].strip().lower()
    return address if "@" in address else ""


# "On 3 Dec 2026, at 10:15, CareWatch <...> wrote:" and Gmail's Hindi and Tamil forms;
# a digit, "<" or "@" on the line keeps "my son wrote:" in a parent's own words.
WROTE = re.compile(
    r"(wrote|a écrit|schrieb|escribió|ने लिखा|लिखा है|எழுதியது|எழுதினார்)\s*:\s*$", re.IGNORECASE
)
ORIGINAL = re.compile(
    r"^-{2,}\s*(original message|forwarded message|reply message)\s*-{2,}$", re.IGNORECASE
)
OUTLOOK_RULE = re.compile(r"^_{10,}$")
HEADER = re.compile(r"^\*?(from|sent|date|to|subject|cc)\s*:\*?", re.IGNORECASE)


def _is_wrote_line(line: str) -> bool:
    return bool(WROTE.search(line)) and bool(re.search(r"[0-9<@]", line))


def _wrapped_start(line: str) -> bool:
    """The first half of a "wrote:" line that the mail program wrapped (Gmail wraps at 80)."""
    opening = re.match(r"^(On|Le|Am|El)\s", line) or " को " in line or "அன்று" in line
    return bool(re.search(r"[0-9]", line)) and (bool(opening) or line.endswith("<"))


def _starts_quote(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    following = [rest.strip() for rest in lines[i + 1 : i + 5] if rest.strip()]
    if ORIGINAL.match(line) or _is_wrote_line(line):
        return True
    if i + 1 < len(lines) and _is_wrote_line(lines[i + 1].strip()) and _wrapped_start(line):
        return True
    if OUTLOOK_RULE.match(line):
        return bool(following) and bool(HEADER.match(following[0]))
    # Outlook's header block: "From: ..." followed by "Sent:"/"Date:" within a few lines.
    if re.match(r"^\*?from\s*:", line, re.IGNORECASE):
        return any(re.match(r"^\*?(sent|date)\s*:", rest, re.IGNORECASE) for rest in following)
    return False


def strip_quoted(text: str) -> str:
    """The new words of a reply: stops at the quoted message's header (Gmail's "On ...
    wrote:", Outlook's "From:/Sent:" block or rule, "-----Original Message-----") or at
    a signature ("-- "), and drops lines quoted with ">"."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        if line.rstrip() == "--" or _starts_quote(lines, i):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line.rstrip())
    return "\n".join(kept).strip()
