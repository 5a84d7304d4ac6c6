"""`{{ amount|money }}`: rupees with the reader's separators ("5,499.00", "1,23,456.50").
The ₹ stays in the template (and in translated sentences) where it already is."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(value: Any, decimals: int = 2) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)  # never break a page over a number
    return number_format(amount, decimals, use_l10n=True, force_grouping=True)
