"""The patient side's pure rules: codes, limits, masks, due dates, invitation, summary."""

from __future__ import annotations

import datetime as dt

from carewatch.eyes.portal import access, invitation
from carewatch.eyes.portal.planning import add_months
from carewatch.eyes.portal.summary import summarise

KEY = "server-key"
T0 = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def check(typed: str, failures: int = 0, used: bool = False, after: int = 0) -> access.Check:
    code_hash = access.hash_code("123456", KEY)
    now = T0 + dt.timedelta(seconds=after)
    return access.check_code(typed, code_hash, KEY, T0, failures, used, now)


def test_it_accepts_the_right_code_with_spaces_typed_in_it() -> None:
    assert check("123 456") == access.Check.RIGHT


def test_it_refuses_a_wrong_code() -> None:
    assert check("654321") == access.Check.WRONG


def test_it_refuses_the_right_code_after_ten_minutes() -> None:
    assert check("123456", after=599) == access.Check.RIGHT
    assert check("123456", after=600) == access.Check.EXPIRED


def test_it_refuses_the_right_code_after_five_wrong_tries() -> None:
    assert check("123456", failures=4) == access.Check.RIGHT
    assert check("123456", failures=5) == access.Check.USED_UP


def test_it_refuses_a_code_used_once_already() -> None:
    assert check("123456", used=True) == access.Check.USED_UP


def test_it_hashes_codes_with_the_server_key() -> None:
    assert access.hash_code("123456", KEY) != access.hash_code("123456", "another-key")
    assert "123456" not in access.hash_code("123456", KEY)


def test_it_makes_six_digit_codes_and_long_tokens() -> None:
    assert all(len(c) == 6 and c.isdigit() for c in (access.new_code() for _ in range(50)))
    assert len(access.new_token()) >= 40
    assert access.new_token() != access.new_token()


def test_it_allows_five_codes_an_hour() -> None:
    sent = [T0 - dt.timedelta(minutes=m) for m in (1, 10, 20, 30)]
    assert access.may_send_code(sent, T0)
    assert not access.may_send_code([*sent, T0], T0)
    assert access.may_send_code([*sent, T0 - dt.timedelta(minutes=61)], T0)


def test_it_masks_phone_numbers_and_addresses() -> None:
    assert access.mask_phone("+91 98000 00017") == "…17"
    assert access.mask_email("meena@example.org") == "m…@example.org"


def test_it_adds_months_keeping_the_day_or_the_month_end() -> None:
    assert add_months(dt.date(2026, 11, 23), 12) == dt.date(2027, 11, 23)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 12, 31), 2) == dt.date(2028, 2, 29)


def test_it_builds_an_invitation_url_with_only_the_referral_code() -> None:
    url = invitation.invitation_url("https://care.example/", "/eyes/centres/", "ABC2345")
    assert url == "https://care.example/eyes/centres/?ref=ABC2345"


def test_it_makes_referral_codes_without_lookalike_characters() -> None:
    codes = {invitation.new_referral_code() for _ in range(100)}
    assert len(codes) == 100
    assert not any(set(code) & set("01OIL") for code in codes)


def test_it_shares_the_text_and_link_on_whatsapp_and_sms() -> None:
    found = invitation.share_links("Get screened:", "https://care.example/?ref=A")
    assert found["whatsapp"].startswith("https://wa.me/?text=Get%20screened%3A%20https")
    assert found["sms"].startswith("sms:?&body=Get%20screened")


def test_it_summarises_feedback_scores() -> None:
    summary = summarise([5, 4, 4, 1])
    assert (summary.count, summary.average) == (4, 3.5)
    assert summary.counts == {1: 1, 2: 0, 3: 0, 4: 2, 5: 1}
    assert summary.share(4) == 50


def test_it_has_no_average_without_answers() -> None:
    summary = summarise([])
    assert (summary.count, summary.average, summary.share(5)) == (0, None, 0)
