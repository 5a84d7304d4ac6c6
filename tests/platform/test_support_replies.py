"""Replies by e-mail, the pure part: the signed reply address and the reply's own words
without the quoted conversation (Gmail, Outlook, Apple Mail, Hindi and Tamil Gmail)."""

from __future__ import annotations

from carewatch.platform.support.replies import (
    make_token,
    read_token,
    reply_address,
    sender_address,
    strip_quoted,
    token_from_recipients,
)

KEY = "a-secret-key-for-tests"
NOW = 1_800_000_000
DAY = 86_400


def test_a_token_names_its_thread_and_is_lowercase_for_mail_systems_that_fold_case() -> None:
    token = make_token(42, NOW, KEY)
    assert token == token.lower()
    assert read_token(token, now=NOW + DAY, key=KEY, max_age=90 * DAY) == 42
    assert read_token(token.upper(), now=NOW, key=KEY, max_age=90 * DAY) == 42


def test_a_token_for_another_thread_or_key_or_a_changed_signature_is_refused() -> None:
    token = make_token(42, NOW, KEY)
    thread, issued, signature = token.split("-")
    assert read_token(f"43-{issued}-{signature}", now=NOW, key=KEY, max_age=DAY) is None
    assert read_token(token, now=NOW, key="another-key", max_age=DAY) is None
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    assert read_token(f"{thread}-{issued}-{flipped}", now=NOW, key=KEY, max_age=DAY) is None


def test_an_expired_token_and_one_from_the_future_are_refused() -> None:
    token = make_token(7, NOW, KEY)
    assert read_token(token, now=NOW + 91 * DAY, key=KEY, max_age=90 * DAY) is None
    assert read_token(token, now=NOW - DAY, key=KEY, max_age=90 * DAY) is None


def test_garbage_tokens_are_refused_without_an_error() -> None:
    for garbage in ["", "-", "1-2-3", "0-abc-" + "0" * 24, "x" * 5000, "1-zz-" + "g" * 24, "١-a-b"]:
        assert read_token(garbage, now=NOW, key=KEY, max_age=DAY) is None


def test_the_token_is_found_among_the_recipients_only_at_our_domain() -> None:
    address = reply_address("12-abc-def", "carewatch.example")
    assert address == "reply+12-abc-def@carewatch.example"
    to = f'"Support" <{address}>, someone@else.example'
    assert token_from_recipients(to, "carewatch.example") == "12-abc-def"
    assert token_from_recipients(to, "CareWatch.Example") == "12-abc-def"
    assert token_from_recipients("reply+12-abc-def@evil.example", "carewatch.example") is None
    assert token_from_recipients("support@carewatch.example", "carewatch.example") is None
    assert token_from_recipients("", "carewatch.example") is None


def test_the_sender_is_the_bare_lowercased_address() -> None:
    assert sender_address("Ravi Kumar <Ravi@Example.org>") == "ravi@example.org"
    assert sender_address("ravi@example.org") == "ravi@example.org"
    assert sender_address("not an address") == ""


GMAIL = """Thanks, that worked!
The watch shows on the map now.

On Mon, 7 Dec 2026 at 10:15, CareWatch <reply+12-abc-def@carewatch.example> wrote:

> Hello, you wrote to us:
> It needs a nano SIM with data.
"""

GMAIL_WRAPPED = """Does the strap fit too?

On Mon, Dec 7, 2026 at 10:15 AM CareWatch Support <
reply+12-abc-def@carewatch.example> wrote:

> Our answer: yes.
"""

OUTLOOK = """Yes please send it.

________________________________
From: CareWatch <reply+12-abc-def@carewatch.example>
Sent: Monday, December 7, 2026 10:15 AM
To: Ravi <ravi@example.org>
Subject: Your question about CareWatch Junior 4G is answered

Hello, you asked about the CareWatch Junior 4G:
"""

OUTLOOK_PLAIN = """One more question: is it waterproof?

-----Original Message-----
From: CareWatch
Sent: 07 December 2026 10:15
Our answer: yes
"""

OUTLOOK_HEADER_ONLY = """Fine, thank you.

From: CareWatch <reply+1-a-b@carewatch.example>
Date: Monday, 7 December 2026 at 10:15
Subject: answered
"""

HINDI_GMAIL = """धन्यवाद, अब घड़ी चल रही है।

सोम, 7 दिस॰ 2026 को 10:15 am बजे CareWatch <reply+12-abc-def@carewatch.example> ने लिखा:

> हमारा उत्तर
"""

TAMIL_GMAIL = """நன்றி, இப்போது வேலை செய்கிறது.

திங்., 7 டிச., 2026, முற்பகல் 10:15 அன்று, CareWatch <reply+12-abc-def@carewatch.example> எழுதியது:

> எங்கள் பதில்
"""


def test_gmail_quoting_is_cut_off() -> None:
    assert strip_quoted(GMAIL) == "Thanks, that worked!\nThe watch shows on the map now."


def test_a_wrapped_gmail_header_is_cut_off_and_the_line_above_kept() -> None:
    assert strip_quoted(GMAIL_WRAPPED) == "Does the strap fit too?"


def test_outlook_quoting_is_cut_off() -> None:
    assert strip_quoted(OUTLOOK) == "Yes please send it."
    assert strip_quoted(OUTLOOK_PLAIN) == "One more question: is it waterproof?"
    assert strip_quoted(OUTLOOK_HEADER_ONLY) == "Fine, thank you."


def test_hindi_and_tamil_gmail_quoting_is_cut_off() -> None:
    assert strip_quoted(HINDI_GMAIL) == "धन्यवाद, अब घड़ी चल रही है।"
    assert strip_quoted(TAMIL_GMAIL) == "நன்றி, இப்போது வேலை செய்கிறது."


def test_inline_answers_between_quoted_lines_are_kept_and_the_signature_dropped() -> None:
    text = "> Is it charged?\nYes, fully.\n> Is the SIM in?\nYes.\n-- \nRavi\n+91 98765 43210"
    assert strip_quoted(text) == "Yes, fully.\nYes."


def test_a_parent_s_own_words_that_mention_writing_are_kept() -> None:
    text = "My son wrote:\nthe watch buzzes at night. Why?"
    assert strip_quoted(text) == text
    assert strip_quoted("Thanks\r\nOn Mon, 7 Dec 2026, Team <a@b.c> wrote:\r\n> x") == "Thanks"


def test_a_reply_that_is_only_quoted_text_has_no_words() -> None:
    assert strip_quoted("\n\nOn Mon, 7 Dec 2026 at 10:15, CareWatch <a@b.c> wrote:\n> hi") == ""
    assert strip_quoted("") == ""
