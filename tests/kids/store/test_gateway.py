"""The test gateway: one outcome per documented card; idempotent calls."""

from decimal import Decimal

import pytest

from carewatch.kids.store.payments.gateway import Card, Outcome, TestGateway

AMOUNT = Decimal("5499.00")


def card(number: str) -> Card:
    return Card(number, 12, 2030, "123")


@pytest.mark.parametrize(
    ("number", "outcome"),
    [
        ("4242424242424242", Outcome.APPROVED),
        ("5555555555554444", Outcome.APPROVED),
        ("4000000000000002", Outcome.DECLINED),
        ("4000000000009995", Outcome.INSUFFICIENT_FUNDS),
        ("4000000000000069", Outcome.EXPIRED_CARD),
        ("4000000000000127", Outcome.INCORRECT_CVC),
        ("4000002500003155", Outcome.AUTHENTICATION_REQUIRED),
        ("4242424242424241", Outcome.INVALID_REQUEST),
    ],
)
def test_each_test_card_gives_its_documented_outcome(number: str, outcome: Outcome) -> None:
    result = TestGateway().authorize(AMOUNT, "INR", card(number), "key-1")
    assert result.outcome == outcome
    assert result.ok == (outcome == Outcome.APPROVED)


def test_an_approval_returns_a_token_the_brand_and_the_last_four_only() -> None:
    result = TestGateway().authorize(AMOUNT, "INR", card("4242424242424242"), "key-1")
    assert result.token.startswith("tok_")
    assert (result.brand, result.last4) == ("visa", "4242")
    assert "4242424242424242" not in repr(result)
    assert "4242424242424242" not in repr(card("4242424242424242"))


def test_the_same_idempotency_key_authorizes_once() -> None:
    gateway = TestGateway()
    first = gateway.authorize(AMOUNT, "INR", card("4242424242424242"), "key-1")
    second = gateway.authorize(AMOUNT, "INR", card("4242424242424242"), "key-1")
    assert first == second
    assert [call[0] for call in gateway.calls] == ["authorize"]


def test_it_captures_refunds_and_voids_within_the_rules() -> None:
    gateway = TestGateway()
    auth = gateway.authorize(AMOUNT, "INR", card("4242424242424242"), "a")
    assert gateway.capture(auth.reference, AMOUNT, "c").ok
    assert not gateway.void(auth.reference, "v").ok  # captured money is refunded, not voided
    assert gateway.refund(auth.reference, Decimal("1000"), "r1").ok
    assert not gateway.refund(auth.reference, AMOUNT, "r2").ok  # more than is left
    other = gateway.authorize(AMOUNT, "INR", card("4242424242424242"), "b")
    assert gateway.void(other.reference, "v2").ok
    assert not gateway.capture(other.reference, AMOUNT, "c2").ok


def test_a_card_that_needs_the_bank_reserves_nothing_until_it_approves() -> None:
    gateway = TestGateway()
    auth = gateway.authorize(AMOUNT, "INR", card("4000002500003155"), "a")
    assert auth.outcome == Outcome.AUTHENTICATION_REQUIRED and auth.reference
    assert gateway.confirm_authentication(auth.reference).outcome == (
        Outcome.AUTHENTICATION_REQUIRED
    )
    assert not gateway.capture(auth.reference, AMOUNT, "c0").ok  # nothing to take yet
    gateway.answer_as_test_bank(auth.reference, approve=True)
    gateway.answer_as_test_bank(auth.reference, approve=False)  # the first answer stands
    confirmed = gateway.confirm_authentication(auth.reference)
    assert confirmed.ok and confirmed.token.startswith("tok_")
    assert gateway.capture(auth.reference, AMOUNT, "c").ok
    assert [call[0] for call in gateway.calls] == ["authorize", "capture"]


def test_a_bank_that_says_no_leaves_nothing_to_take_or_release() -> None:
    gateway = TestGateway()
    auth = gateway.authorize(AMOUNT, "INR", card("4000002500003155"), "a")
    gateway.answer_as_test_bank(auth.reference, approve=False)
    assert gateway.confirm_authentication(auth.reference).outcome == Outcome.AUTHENTICATION_FAILED
    assert not gateway.capture(auth.reference, AMOUNT, "c").ok
    assert gateway.void(auth.reference, "v").ok
    assert gateway.confirm_authentication(auth.reference).outcome == Outcome.INVALID_REQUEST
    assert gateway.calls == []
