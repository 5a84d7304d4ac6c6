"""Order totals: plain Python on Decimals. Prices include GST, as Indian shop prices do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FREE_SHIPPING_FROM = Decimal("2000")
SHIPPING_FEE = Decimal("99")
GST_RATE = Decimal("0.18")
PAISA = Decimal("0.01")


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    shipping: Decimal
    total: Decimal
    tax: Decimal  # the GST included in the total


def shipping_for(subtotal: Decimal) -> Decimal:
    if subtotal <= 0 or subtotal >= FREE_SHIPPING_FROM:
        return Decimal("0")
    return SHIPPING_FEE


def totals_for(lines: Iterable[tuple[Decimal, int]]) -> Totals:
    """`lines` are (unit price, quantity) pairs."""
    subtotal = sum((price * quantity for price, quantity in lines), Decimal("0"))
    shipping = shipping_for(subtotal)
    total = subtotal + shipping
    tax = (total * GST_RATE / (1 + GST_RATE)).quantize(PAISA, ROUND_HALF_UP)
    return Totals(subtotal, shipping, total, tax)
