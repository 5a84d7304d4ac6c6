"""One gateway interface, and the TEST gateway with magic card numbers. Plain Python.

Every call that moves money takes an idempotency key: calling again with the same key
returns the first answer and moves no money twice (a double-clicked pay button charges
once). The Stripe gateway (stripe_gateway.py, PaymentIntents) implements the same methods.

A card that needs extra authentication (3-D Secure) answers AUTHENTICATION_REQUIRED with
a reference: the customer then answers their bank, and `confirm_authentication` says
whether the reservation now stands. Gateways with `test_bank` let our own page stand in
for the bank's challenge (`answer_as_test_bank`).

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
    AUTHENTICATION_FAILED = "authentication_failed"
    INVALID_REQUEST = "invalid_request"
    # The gateway could not be reached: the same key may be tried again safely.
    UNAVAILABLE = "unavailable"


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
    # True where our "test bank" page may stand in for the bank's 3-D Secure challenge.
    test_bank: bool = False

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

    @abstractmethod
    def confirm_authentication(self, reference: str) -> Result:
        """After the customer answered their bank: APPROVED when the reservation now stands,
        AUTHENTICATION_FAILED when the bank said no, AUTHENTICATION_REQUIRED while it waits.
        Only reads: asking twice moves no money."""

    def answer_as_test_bank(self, reference: str, approve: bool) -> None:
        """Plays the customer's bank answering the 3-D Secure challenge (test gateways only)."""
        raise NotImplementedError(f"The {self.name} gateway has no test bank.")


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
    # None: no challenge, or the bank has not answered yet (see `waiting`); then True/False.
    authenticated: bool | None = None
    waiting: bool = False
    token: str = ""

    @property
    def reserved(self) -> bool:
        return not self.waiting and self.authenticated is not False


class TestGateway(Gateway):
    """In memory, for development, the demo and tests. `calls` records each money movement."""

    name = "test"
    test_bank = True
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

    def confirm_authentication(self, reference: str) -> Result:
        auth = self.authorizations.get(reference)
        if auth is None or auth.voided:
            return Result(Outcome.INVALID_REQUEST, reference)
        if auth.waiting:
            return Result(Outcome.AUTHENTICATION_REQUIRED, reference)
        if auth.authenticated is False:
            return Result(Outcome.AUTHENTICATION_FAILED, reference)
        return Result(Outcome.APPROVED, reference, auth.token)

    def answer_as_test_bank(self, reference: str, approve: bool) -> None:
        auth = self.authorizations.get(reference)
        if auth is None or not auth.waiting or auth.voided:
            return  # answered already (a reload or a double click): the first answer stands
        auth.waiting, auth.authenticated = False, approve
        if approve:
            self.calls.append(("authorize", reference, auth.amount))

    def _once(self, key: str, do: Callable[[], Result]) -> Result:
        if key not in self.answers:
            self.answers[key] = do()
        return self.answers[key]

    def _authorize(self, amount: Decimal, card: Card) -> Result:
        if not cards.luhn_valid(card.number) or amount <= 0:
            return Result(Outcome.INVALID_REQUEST)
        outcome = TEST_CARDS.get(cards.digits(card.number), Outcome.APPROVED)
        if outcome not in (Outcome.APPROVED, Outcome.AUTHENTICATION_REQUIRED):
            return Result(outcome, brand=card.brand, last4=card.last4)
        reference = f"auth_{uuid.uuid4().hex[:16]}"
        token = f"tok_{uuid.uuid4().hex[:16]}"
        waiting = outcome == Outcome.AUTHENTICATION_REQUIRED
        self.authorizations[reference] = _Authorization(amount, waiting=waiting, token=token)
        if waiting:  # nothing is reserved until the bank says yes
            return Result(outcome, reference, "", card.brand, card.last4)
        self.calls.append(("authorize", reference, amount))
        return Result(Outcome.APPROVED, reference, token, card.brand, card.last4)

    def _capture(self, reference: str, amount: Decimal) -> Result:
        auth = self.authorizations.get(reference)
        if (
            auth is None
            or not auth.reserved
            or auth.voided
            or auth.captured
            or amount > auth.amount
        ):
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
        if auth.reserved and not auth.voided:  # releasing a challenge never answered moves nothing
            self.calls.append(("void", reference, auth.amount))
        auth.voided = True
        return Result(Outcome.APPROVED, reference)


_instances: dict[str, Gateway] = {}


def get_gateway(name: str = "test") -> Gateway:
    """One instance per process and kind, so the test gateway remembers its keys."""
    if name not in _instances:
        _instances[name] = _make(name)
    return _instances[name]


def _make(name: str) -> Gateway:
    if name == "stripe":
        # Imported here: the stripe library and Django settings only when Stripe is used.
        from carewatch.kids.store.payments.stripe_gateway import StripeGateway

        return StripeGateway.from_settings()
    if name == "test":
        return TestGateway()
    raise ValueError(f"Unknown payment gateway {name!r}: use test or stripe.")
