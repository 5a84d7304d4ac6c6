"""Card checks done before any gateway sees the card: plain Python, tested directly.

Nothing here keeps a card: callers get a verdict, a brand and the last four digits.
"""

from __future__ import annotations

from datetime import date

BRAND_PREFIXES = [
    ("amex", ("34", "37")),
    ("rupay", ("508", "60", "65", "81", "82")),
    ("mastercard", tuple(str(n) for n in range(51, 56)) + ("2",)),
    ("visa", ("4",)),
]


def digits(number: str) -> str:
    """Drops the spaces and dashes people type between groups."""
    return "".join(ch for ch in number if ch not in " -")


def luhn_valid(number: str) -> bool:
    number = digits(number)
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def brand(number: str) -> str:
    number = digits(number)
    for name, prefixes in BRAND_PREFIXES:
        if number.startswith(prefixes):
            return name
    return "card"


def last4(number: str) -> str:
    return digits(number)[-4:]


def full_year(year: int) -> int:
    return 2000 + year if year < 100 else year


def expiry_valid(month: int, year: int, today: date) -> bool:
    """A card works until the last day of its expiry month; more than 20 years ahead is a typo."""
    if not 1 <= month <= 12:
        return False
    year = full_year(year)
    return (today.year, today.month) <= (year, month) and year <= today.year + 20


def cvc_valid(cvc: str, card_brand: str) -> bool:
    """American Express prints four digits on the front; the others three on the back."""
    return cvc.isdigit() and len(cvc) == (4 if card_brand == "amex" else 3)
