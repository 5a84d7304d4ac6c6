"""Order totals: plain Python on Decimals. Prices include GST, as Indian shop prices do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FREE_SHIPPING_FROM = Decimal("2000")
SHIPPING_FEE = Decimal("99")
GST_RATE = Decimal("0.18")
# The optional tip for the delivery person: none unless the customer picks one.
TIP_CHOICES = (Decimal("0"), Decimal("20"), Decimal("50"), Decimal("100"))
PAISA = Decimal("0.01")


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    shipping: Decimal
    total: Decimal
    tax: Decimal  # the GST included in the total
    tip: Decimal = Decimal("0")  # passed on to the delivery person; no GST on it
    discount: Decimal = Decimal("0")  # coupons and offers, already taken off the total


def shipping_for(subtotal: Decimal) -> Decimal:
    if subtotal <= 0 or subtotal >= FREE_SHIPPING_FROM:
        return Decimal("0")
    return SHIPPING_FEE


def totals_for(
    lines: Iterable[tuple[Decimal, int]],
    tip: Decimal = Decimal("0"),
    discount: Decimal = Decimal("0"),
) -> Totals:
    """`lines` are (unit price, quantity) pairs; a tip that is not offered counts as none.

    A discount (coupons, offers) comes off the goods only, never below zero; shipping is
    decided on the basket before the discount, so a coupon never adds a shipping fee."""
    tip = tip if tip in TIP_CHOICES else Decimal("0")
    subtotal = sum((price * quantity for price, quantity in lines), Decimal("0"))
    discount = min(max(discount, Decimal("0")), subtotal)
    shipping = shipping_for(subtotal)
    taxed = subtotal - discount + shipping
    tax = (taxed * GST_RATE / (1 + GST_RATE)).quantize(PAISA, ROUND_HALF_UP)
    return Totals(subtotal, shipping, taxed + tip, tax, tip, discount)
