"""One gateway interface, and the TEST gateway with magic card numbers. Plain Python.

Every call takes an idempotency key: calling again with the same key returns the
first answer and moves no money twice (a double-clicked pay button charges once).
A Stripe gateway (PaymentIntents) will implement the same four methods.

Test cards (any future expiry, any CVC of the right length):

    4242 4242 4242 4242   approved
    4000 0000 0000 0002   declined
    4000 0000 0000 9995   declined: insufficient funds
    4000 0000 0000 0069   declined: expired card
    4000 0000 0000 0127   declined: incorrect CVC
    4000 0025 0000 3155   extra authentication (3-D Secure) required
    5555 5555 5555 4444   approved (Mastercard)

Any other number that passes the Luhn check is approved too.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from carewatch.kids.store.payments import cards


class Outcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    EXPIRED_CARD = "expired_card"
    INCORRECT_CVC = "incorrect_cvc"
    AUTHENTICATION_REQUIRED = "authentication_required"
    INVALID_REQUEST = "invalid_request"


@dataclass(frozen=True)
class Card:
    """What the customer typed. Never saved, logged or printed: repr hides the secrets."""

    number: str = field(repr=False)
    exp_month: int
    exp_year: int
    cvc: str = field(repr=False)

    @property
    def last4(self) -> str:
        return cards.last4(self.number)

    @property
    def brand(self) -> str:
        return cards.brand(self.number)


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    reference: str = ""  # the gateway's id of the authorization (a charge, a PaymentIntent)
    token: str = ""  # stands in for the card in later calls; safe to store
    brand: str = ""
    last4: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.APPROVED


class Gateway(ABC):
    name: str

    @abstractmethod
    def authorize(self, amount: Decimal, currency: str, card: Card, key: str) -> Result:
        """Reserve the amount on the card."""

    @abstractmethod
    def capture(self, reference: str, amount: Decimal, key: str) -> Result:
        """Take the reserved money (all of it, or less)."""

    @abstractmethod
    def refund(self, reference: str, amount: Decimal, key: str) -> Result:
        """Give captured money back."""

    @abstractmethod
    def void(self, reference: str, key: str) -> Result:
        """Release a reservation that will not be captured."""


TEST_CARDS = {
    "4000000000000002": Outcome.DECLINED,
    "4000000000009995": Outcome.INSUFFICIENT_FUNDS,
    "4000000000000069": Outcome.EXPIRED_CARD,
    "4000000000000127": Outcome.INCORRECT_CVC,
    "4000002500003155": Outcome.AUTHENTICATION_REQUIRED,
}


@dataclass
class _Authorization:
    amount: Decimal
    captured: Decimal = Decimal("0")
    refunded: Decimal = Decimal("0")
    voided: bool = False


class TestGateway(Gateway):
    """In memory, for development, the demo and tests. `calls` records each money movement."""

    name = "test"
    __test__ = False  # pytest: a gateway, not a test class

    def __init__(self) -> None:
        self.authorizations: dict[str, _Authorization] = {}
        self.answers: dict[str, Result] = {}
        self.calls: list[tuple[str, str, Decimal]] = []

    def authorize(self, amount: Decimal, currency: str, card: Card, key: str) -> Result:
        return self._once(key, lambda: self._authorize(amount, card))

    def capture(self, reference: str, amount: Decimal, key: str) -> Result:
        return self._once(key, lambda: self._capture(reference, amount))

    def refund(self, reference: str, amount: Decimal, key: str) -> Result:
        return self._once(key, lambda: self._refund(reference, amount))

    def void(self, reference: str, key: str) -> Result:
        return self._once(key, lambda: self._void(reference))

    def _once(self, key: str, do: Callable[[], Result]) -> Result:
        if key not in self.answers:
            self.answers[key] = do()
        return self.answers[key]

    def _authorize(self, amount: Decimal, card: Card) -> Result:
        if not cards.luhn_valid(card.number) or amount <= 0:
            return Result(Outcome.INVALID_REQUEST)
        outcome = TEST_CARDS.get(cards.digits(card.number), Outcome.APPROVED)
        if outcome != Outcome.APPROVED:
            return Result(outcome, brand=card.brand, last4=card.last4)
        reference = f"auth_{uuid.uuid4().hex[:16]}"
        self.authorizations[reference] = _Authorization(amount)
        self.calls.append(("authorize", reference, amount))
        token = f"tok_{uuid.uuid4().hex[:16]}"
        return Result(Outcome.APPROVED, reference, token, card.brand, card.last4)

    def _capture(self, reference: str, amount: Decimal) -> Result:
        auth = self.authorizations.get(reference)
        if auth is None or auth.voided or auth.captured or amount > auth.amount:
            return Result(Outcome.INVALID_REQUEST, reference)
        auth.captured = amount
        self.calls.append(("capture", reference, amount))
        return Result(Outcome.APPROVED, reference)

    def _refund(self, reference: str, amount: Decimal) -> Result:
        auth = self.authorizations.get(reference)
        if auth is None or auth.refunded + amount > auth.captured:
            return Result(Outcome.INVALID_REQUEST, reference)
        auth.refunded += amount
        self.calls.append(("refund", reference, amount))
        return Result(Outcome.APPROVED, reference)

    def _void(self, reference: str) -> Result:
        auth = self.authorizations.get(reference)
        if auth is None or auth.captured:
            return Result(Outcome.INVALID_REQUEST, reference)
        auth.voided = True
        self.calls.append(("void", reference, auth.amount))
        return Result(Outcome.APPROVED, reference)


GATEWAYS: dict[str, type[Gateway]] = {"test": TestGateway}
_instances: dict[str, Gateway] = {}


def get_gateway(name: str = "test") -> Gateway:
    """One instance per process and kind, so the test gateway remembers its keys."""
    if name not in _instances:
        _instances[name] = GATEWAYS[name]()
    return _instances[name]
