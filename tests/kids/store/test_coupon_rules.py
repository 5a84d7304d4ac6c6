"""The coupon rules are plain Python: every refusal, the discount per line, the guard
against negative prices, proration for refunds and codes nobody can count to."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from carewatch.kids.store.checkout.pricing import totals_for
from carewatch.kids.store.offers import rules
from carewatch.kids.store.offers.rules import Kind, Line, Refusal, Situation, Terms

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
WATCH = Line("tracker", Decimal("5499"), 1)
STRAP = Line("accessory", Decimal("399"), 2)


def terms(**changes: object) -> Terms:
    base = Terms(kind=Kind.PERCENT, value=Decimal("10"), valid_from=NOW - timedelta(days=1))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def situation(**changes: object) -> Situation:
    base = Situation(
        now=NOW,
        lines=[WATCH, STRAP],
        customer_id=7,
        earlier_orders=0,
        uses_by_customer=0,
        uses_total=0,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_it_accepts_a_plain_coupon() -> None:
    assert rules.refusal(terms(), situation()) is None


@pytest.mark.parametrize(
    ("coupon", "facts", "reason"),
    [
        ({"valid_from": NOW + timedelta(hours=1)}, {}, Refusal.NOT_YET_VALID),
        ({"valid_until": NOW}, {}, Refusal.EXPIRED),
        ({"valid_until": NOW - timedelta(days=1)}, {}, Refusal.EXPIRED),
        ({"total_limit": 5}, {"uses_total": 5}, Refusal.USED_UP),
        ({"per_customer_limit": 1}, {"uses_by_customer": 1}, Refusal.USED_BY_YOU),
        ({"customer_id": 8}, {}, Refusal.ANOTHER_CUSTOMER),
        ({"customer_id": 7}, {"customer_id": None}, Refusal.NEEDS_ACCOUNT),
        ({"has_segment": True}, {"in_segment": False}, Refusal.NOT_IN_SEGMENT),
        ({"first_order_only": True}, {"earlier_orders": 1}, Refusal.FIRST_ORDER_ONLY),
        ({"min_basket": Decimal("7000")}, {}, Refusal.MINIMUM_NOT_REACHED),
        ({"applies_to": "accessory"}, {"lines": [WATCH]}, Refusal.NOTHING_ELIGIBLE),
        ({"active": False}, {}, Refusal.INACTIVE),
    ],
)
def test_it_refuses_with_the_reason(
    coupon: dict[str, object], facts: dict[str, object], reason: Refusal
) -> None:
    assert rules.refusal(terms(**coupon), situation(**facts)) == reason


def test_the_minimum_basket_and_the_limits_accept_what_is_just_inside() -> None:
    inside = terms(min_basket=Decimal("6297"), total_limit=5, per_customer_limit=2)
    assert rules.refusal(inside, situation(uses_total=4, uses_by_customer=1)) is None
    assert rules.refusal(terms(has_segment=True), situation(in_segment=True)) is None
    assert rules.refusal(terms(first_order_only=True), situation(earlier_orders=0)) is None


def test_a_percentage_comes_off_each_eligible_line() -> None:
    assert rules.discounts(terms(), [WATCH, STRAP]) == [Decimal("549.90"), Decimal("79.80")]
    strap_only = terms(value=Decimal("15"), applies_to="accessory")
    assert rules.discounts(strap_only, [WATCH, STRAP]) == [Decimal("0.00"), Decimal("119.70")]


def test_a_fixed_amount_is_shared_in_proportion_to_the_paisa() -> None:
    shares = rules.discounts(terms(kind=Kind.FIXED, value=Decimal("100")), [WATCH, STRAP])
    assert sum(shares) == Decimal("100")
    assert shares == [Decimal("87.33"), Decimal("12.67")]


def test_a_discount_never_makes_a_line_or_the_basket_negative() -> None:
    huge = terms(kind=Kind.FIXED, value=Decimal("100000"))
    shares = rules.discounts(huge, [WATCH, STRAP])
    assert shares == [WATCH.total, STRAP.total]
    over = rules.discounts(terms(value=Decimal("150")), [STRAP])
    assert over == [STRAP.total]
    totals = totals_for([(WATCH.unit_price, 1), (STRAP.unit_price, 2)], discount=Decimal("99999"))
    assert totals.discount == Decimal("6297") and totals.total == 0 and totals.tax == 0
    assert totals_for([(STRAP.unit_price, 1)], discount=Decimal("-50")).discount == 0


def test_shipping_follows_the_basket_before_the_discount_so_a_coupon_never_adds_a_fee() -> None:
    without = totals_for([(Decimal("2010"), 1)])
    with_coupon = totals_for([(Decimal("2010"), 1)], discount=Decimal("50"))
    assert (without.shipping, with_coupon.shipping) == (0, 0)
    assert with_coupon.total == Decimal("1960")
    small = totals_for([(Decimal("399"), 1)], discount=Decimal("399"))
    assert (small.shipping, small.total) == (Decimal("99"), Decimal("99"))


def test_allocation_always_adds_up_and_no_share_exceeds_its_line() -> None:
    weights = [Decimal("0.01"), Decimal("333.33"), Decimal("333.33"), Decimal("0")]
    for amount in (Decimal("0.01"), Decimal("0.02"), Decimal("100"), Decimal("666.67")):
        shares = rules.allocate(amount, weights)
        assert sum(shares) == amount
        assert all(Decimal("0") <= s <= w for s, w in zip(shares, weights, strict=True))
    assert rules.allocate(Decimal("5"), [Decimal("0")]) == [Decimal("0")]


def test_a_partial_refund_of_a_discounted_order_is_prorated() -> None:
    shares = rules.discounts(terms(kind=Kind.FIXED, value=Decimal("100")), [WATCH, STRAP])
    watch, strap = (WATCH.total, shares[0]), (STRAP.total, shares[1])
    assert rules.refund_for([strap]) == Decimal("798") - Decimal("12.67")
    paid = WATCH.total + STRAP.total - Decimal("100")
    assert rules.refund_for([watch]) + rules.refund_for([strap]) == paid
    assert rules.refund_for([(Decimal("10"), Decimal("20"))]) == 0


def test_codes_are_long_random_and_unambiguous() -> None:
    codes = {rules.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == 12 and set(code) <= set(rules.CODE_ALPHABET) for code in codes)
    assert not set("O0I1L5S2Z8B") & set(rules.CODE_ALPHABET)
    assert rules.normalise(" acde-fghj kmnp ") == "ACDEFGHJKMNP"
    assert rules.normalise("diwali\x00-2026\u00e9\u0663") == "DIWALI2026"
