"""Coupon rules in plain Python: may this customer use this coupon on this basket now, and
how much does it take off each line?

The shell (offers.coupons) gathers the facts (the customer's earlier orders and uses, the
segment, the basket) into a `Situation`; `refusal` answers with the first rule that says
no, `discounts` spreads the discount over the lines. Both run when the coupon is applied
and again inside the payment's transaction, with the coupon row locked.

Money is Decimal rupees with two places. A discount never takes a line below zero and is
never more than the eligible lines cost; shipping and the tip are never discounted (the
free-shipping threshold counts the basket before the discount, so a coupon never adds a
shipping fee: see pricing.totals_for).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

PAISA = Decimal("0.01")
# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read aloud or typed from paper is not mistyped.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 12  # 25**12 ≈ 6e16: guessing one in a flood of tries is hopeless


class Kind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"


class Refusal(StrEnum):
    """Why a coupon cannot be used; the shell turns each into a sentence."""

    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    USED_UP = "used_up"
    USED_BY_YOU = "used_by_you"
    NEEDS_ACCOUNT = "needs_account"
    ANOTHER_CUSTOMER = "another_customer"
    NOT_IN_SEGMENT = "not_in_segment"
    FIRST_ORDER_ONLY = "first_order_only"
    MINIMUM_NOT_REACHED = "minimum_not_reached"
    NOTHING_ELIGIBLE = "nothing_eligible"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class Terms:
    kind: Kind
    value: Decimal  # a percentage (0-100) or rupees
    valid_from: datetime
    valid_until: datetime | None = None
    min_basket: Decimal = Decimal("0")
    first_order_only: bool = False
    customer_id: int | None = None  # a personal coupon: only this account
    has_segment: bool = False  # only customers the shell found in the segment
    per_customer_limit: int | None = 1
    total_limit: int | None = None
    applies_to: str = ""  # a product kind ("tracker", "accessory"), or "" for every line
    active: bool = True


@dataclass(frozen=True)
class Line:
    kind: str
    unit_price: Decimal
    quantity: int

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Situation:
    now: datetime
    lines: Sequence[Line]
    customer_id: int | None  # None for a guest
    earlier_orders: int  # paid orders of this customer (or this e-mail for a guest)
    uses_by_customer: int
    uses_total: int
    in_segment: bool = False


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: str) -> str:
    """What the customer typed, as stored: upper-case ASCII letters and digits only (spaces,
    dashes and anything stranger, a NUL byte included, are dropped), at most 40."""
    return "".join(c for c in code.upper() if c.isascii() and c.isalnum())[:40]


def refusal(terms: Terms, situation: Situation) -> Refusal | None:
    """The first rule that refuses, in the order a customer can act on; None: it applies."""
    for check in CHECKS:
        reason = check(terms, situation)
        if reason is not None:
            return reason
    return None


def _active(terms: Terms, s: Situation) -> Refusal | None:
    return None if terms.active else Refusal.INACTIVE


def _dates(terms: Terms, s: Situation) -> Refusal | None:
    if s.now < terms.valid_from:
        return Refusal.NOT_YET_VALID
    if terms.valid_until is not None and s.now >= terms.valid_until:
        return Refusal.EXPIRED
    return None


def _who(terms: Terms, s: Situation) -> Refusal | None:
    if terms.customer_id is None and not terms.has_segment:
        return None
    if s.customer_id is None:
        return Refusal.NEEDS_ACCOUNT
    if terms.customer_id is not None and terms.customer_id != s.customer_id:
        return Refusal.ANOTHER_CUSTOMER
    if terms.has_segment and not s.in_segment:
        return Refusal.NOT_IN_SEGMENT
    return None


def _limits(terms: Terms, s: Situation) -> Refusal | None:
    if terms.total_limit is not None and s.uses_total >= terms.total_limit:
        return Refusal.USED_UP
    if terms.per_customer_limit is not None and s.uses_by_customer >= terms.per_customer_limit:
        return Refusal.USED_BY_YOU
    return None


def _first_order(terms: Terms, s: Situation) -> Refusal | None:
    return Refusal.FIRST_ORDER_ONLY if terms.first_order_only and s.earlier_orders else None


def _basket(terms: Terms, s: Situation) -> Refusal | None:
    if basket_total(s.lines) < terms.min_basket:
        return Refusal.MINIMUM_NOT_REACHED
    if not any(eligible(terms, line) and line.total > 0 for line in s.lines):
        return Refusal.NOTHING_ELIGIBLE
    return None


CHECKS = (_active, _dates, _who, _limits, _first_order, _basket)


def basket_total(lines: Sequence[Line]) -> Decimal:
    return sum((line.total for line in lines), Decimal("0"))


def eligible(terms: Terms, line: Line) -> bool:
    return not terms.applies_to or line.kind == terms.applies_to


def discounts(terms: Terms, lines: Sequence[Line]) -> list[Decimal]:
    """The discount on each line (same order), each between 0 and the line's total."""
    weights = [line.total if eligible(terms, line) else Decimal("0") for line in lines]
    base = sum(weights, Decimal("0"))
    if base <= 0 or terms.value <= 0:
        return [Decimal("0.00")] * len(lines)
    if terms.kind == Kind.PERCENT:
        wanted = base * min(terms.value, Decimal("100")) / 100
    else:
        wanted = terms.value
    amount = min(wanted, base).quantize(PAISA, ROUND_DOWN)
    return allocate(amount, weights)


def allocate(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `amount` over the weights in whole paise, in proportion, summing exactly to
    `amount` (largest remainder first); no share exceeds its weight when amount <= sum."""
    total = sum(weights, Decimal("0"))
    if total <= 0 or amount <= 0:
        return [Decimal("0.00")] * len(weights)
    paise = int((amount / PAISA).to_integral_value(ROUND_DOWN))
    exact = [Decimal(paise) * w / total for w in weights]
    shares = [int(x.to_integral_value(ROUND_DOWN)) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: paise - sum(shares)]:
        shares[i] += 1
    return [Decimal(share) * PAISA for share in shares]


def refund_for(lines: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    """What giving back these order lines returns: each line's price less the discount it
    carried, so a partial refund of a discounted order is prorated and the refunds of all
    lines add up to what was paid for the goods. Pairs are (line total, its discount)."""
    return sum((max(total - discount, Decimal("0")) for total, discount in lines), Decimal("0"))
