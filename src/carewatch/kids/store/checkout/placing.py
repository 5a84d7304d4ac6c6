"""Placing an order: re-check prices and stock, pay once, then write everything at once.

The card is authorized first (outside the transaction: a slow bank must not hold
row locks); then, under `select_for_update` on the products, stock is checked
again, decremented and the order written. Anything that goes wrong after the
authorization releases it again. The checkout key makes a second click find the
first order instead of charging twice.

A card that needs the bank's extra authentication (3-D Secure) raises
NeedsAuthentication with a Pending authorization; once the customer has answered their
bank, `do_finish_authenticated` checks the answer, the basket and the total again and
places the order the same way. Nothing is reserved until the bank says yes, and a
pending authorization that is abandoned or refused is released.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carewatch.kids.store.basket import baskets
from carewatch.kids.store.basket.models import Basket, BasketLine
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.checkout.pricing import Totals, totals_for
from carewatch.kids.store.offers import coupons
from carewatch.kids.store.offers.rules import allocate
from carewatch.kids.store.orders.actions import do_set_status
from carewatch.kids.store.orders.models import Order, OrderEvent, OrderLine, Status
from carewatch.kids.store.payments.gateway import Card, Gateway, Outcome, Result
from carewatch.kids.store.payments.messages import message_for
from carewatch.kids.store.payments.models import Payment, PaymentStatus
from carewatch.kids.tracker.models import Device
from carewatch.platform.web.templatetags.money import money

logger = logging.getLogger(__name__)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# How long the bank's confirmation may take before we release the reservation.
PENDING_SECONDS = 15 * 60


class CheckoutError(Exception):
    """Nothing was charged and nothing was lost; the message says what to do next."""

    def __init__(self, message: str, *, new_key: bool = False) -> None:
        super().__init__(message)
        self.new_key = new_key  # a declined card needs a fresh key for the next try


@dataclass(frozen=True)
class Pending:
    """An authorization waiting for the customer's bank. Kept in the session: no card data,
    only the gateway's reference, the brand and the last four digits."""

    checkout_key: str
    reference: str
    amount: Decimal
    tip: Decimal
    brand: str
    last4: str
    started: float

    def to_session(self) -> dict[str, Any]:
        return asdict(self) | {"amount": str(self.amount), "tip": str(self.tip)}

    @classmethod
    def from_session(cls, data: Any) -> Pending | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(**data | {"amount": Decimal(data["amount"]), "tip": Decimal(data["tip"])})
        except (KeyError, TypeError, ArithmeticError):
            return None  # an old or damaged session: as if nothing were pending

    def expired(self, now: float) -> bool:
        return now - self.started > PENDING_SECONDS


class NeedsAuthentication(Exception):  # noqa: N818 - a next step, not an error
    """The bank wants the customer to confirm; nothing is reserved yet."""

    def __init__(self, pending: Pending) -> None:
        super().__init__(pending.reference)
        self.pending = pending


@dataclass(frozen=True)
class Checkout:
    basket: Basket
    details: dict[str, Any]
    key: str
    owner: Any = None
    tip: Decimal = Decimal("0")
    coupon: str = ""  # a code the customer applied; every rule is checked again here


def do_place_order(checkout: Checkout, card: Card, gateway: Gateway) -> Order:
    existing = Order.objects.filter(checkout_key=checkout.key).first()
    if existing is not None:
        return existing
    lines = check_basket(checkout.basket)
    totals = priced(checkout, lines, checkout.tip)
    # The amount is part of the key: a new total is a new request, never an old answer.
    key = f"{checkout.key}:{totals.total}:authorize"
    result = gateway.authorize(totals.total, "INR", card, key)
    if result.outcome == Outcome.AUTHENTICATION_REQUIRED and result.reference:
        if gateway.test_bank:
            pending = Pending(
                checkout.key,
                result.reference,
                totals.total,
                checkout.tip,
                result.brand,
                result.last4,
                time.time(),
            )
            raise NeedsAuthentication(pending)
        gateway.void(result.reference, f"{checkout.key}:void")  # no challenge page here
    if not result.ok:
        logger.info("Payment refused (%s) for checkout %s", result.outcome, checkout.key)
        # Unreachable gateway: the same key may be retried, Stripe answers it once.
        raise CheckoutError(
            message_for(result.outcome), new_key=result.outcome != Outcome.UNAVAILABLE
        )
    return _complete(checkout, lines, totals, result, gateway)


def do_finish_authenticated(
    checkout: Checkout, pending: Pending, gateway: Gateway, now: float
) -> Order:
    """After the customer answered their bank: place the order if the bank said yes and
    the basket and its total are still what the customer agreed to; else release."""
    existing = Order.objects.filter(checkout_key=checkout.key).first()
    if existing is not None:
        return existing  # the other click of a double click placed it
    try:
        if pending.expired(now):
            raise CheckoutError(
                _(
                    "The bank's confirmation took too long, so the payment was cancelled and "
                    "nothing was charged. Please pay again."
                )
            )
        confirmed = gateway.confirm_authentication(pending.reference)
        if not confirmed.ok:
            logger.info("Authentication %s for checkout %s", confirmed.outcome, checkout.key)
            raise CheckoutError(message_for(confirmed.outcome))
        lines = check_basket(checkout.basket)
        totals = priced(checkout, lines, pending.tip)
        if totals.total != pending.amount:
            raise CheckoutError(
                _(
                    "Your basket changed while your bank was confirming the payment. Check the "
                    "new total and pay again; nothing was charged."
                )
            )
    except CheckoutError as error:
        do_release(pending, gateway)
        error.new_key = True
        raise
    result = Result(
        Outcome.APPROVED, pending.reference, confirmed.token, pending.brand, pending.last4
    )
    return _complete(checkout, lines, totals, result, gateway)


def do_release(pending: Pending, gateway: Gateway) -> None:
    """Let go of an authorization the customer abandoned or the bank refused."""
    released = gateway.void(pending.reference, f"{pending.checkout_key}:void")
    if not released.ok:  # e.g. already cancelled by the bank: nothing is held either way
        logger.info("Release of %s: %s", pending.reference, released.outcome)


def _complete(
    checkout: Checkout, lines: list[BasketLine], totals: Totals, result: Result, gateway: Gateway
) -> Order:
    try:
        order = _write_order(checkout, lines, totals, result, gateway)
    except IntegrityError:  # the other click of a double click wrote it first
        return Order.objects.get(checkout_key=checkout.key)
    except CheckoutError as error:
        gateway.void(result.reference, f"{checkout.key}:void")
        error.new_key = True  # this key's authorization is spent
        raise
    baskets.empty(checkout.basket)
    logger.info("Order %s paid: %s %s, %s", order.number, result.brand, result.last4, order.total)
    return order


def priced(checkout: Checkout, lines: list[BasketLine], tip: Decimal) -> Totals:
    """The totals with the applied coupon's discount; a coupon that no longer applies stops
    the payment with its reason (the customer removes it or fixes the basket)."""
    discount = Decimal("0")
    if checkout.coupon:
        email = str(checkout.details.get("email", ""))
        try:
            discount = coupons.quote(checkout.coupon, lines, checkout.owner, email).amount
        except coupons.CouponRefused as refused:
            raise CheckoutError(str(refused)) from None
    return totals_for([(line.price, line.quantity) for line in lines], tip, discount)


def check_basket(basket: Basket) -> list[BasketLine]:
    lines = basket.lines_with_products()
    if not lines:
        raise CheckoutError(_("Your basket is empty. Add a tracker first."))
    changes = baskets.accept_current_prices(basket)
    if changes:
        said = "; ".join(
            _("%(name)s now costs ₹%(new)s (was ₹%(old)s)")
            % {"name": c.name, "new": money(c.new), "old": money(c.old)}
            for c in changes
        )
        raise CheckoutError(
            _("Prices have changed: %(changes)s. Check the new total and pay again.")
            % {"changes": said}
        )
    for line in lines:
        _check_stock(line.product, line.quantity)
    return lines


def _check_stock(product: Product, quantity: int) -> None:
    if product.stock < quantity or not product.is_active:
        raise CheckoutError(
            _(
                "Only %(stock)s of %(name)s left. Lower the quantity in your basket "
                "or remove it, then pay again; nothing was charged."
            )
            % {"stock": max(product.stock, 0), "name": product.name}
        )


def _write_order(
    checkout: Checkout, lines: list[BasketLine], totals: Totals, result: Result, gateway: Gateway
) -> Order:
    with transaction.atomic():
        locked = Product.objects.select_for_update().in_bulk([line.product_id for line in lines])
        for line in lines:
            product = locked[line.product_id]
            _check_stock(product, line.quantity)
            if product.price != line.price:
                raise CheckoutError(_("A price changed just now. Check the total and pay again."))
            Product.objects.filter(pk=product.pk).update(stock=F("stock") - line.quantity)
        order = _create_order(checkout, totals)
        shares = _redeem(checkout, order, lines, totals)
        for line, share in zip(lines, shares, strict=True):
            _create_lines(order, line, share)
        _take_payment(order, result, gateway, checkout.key)
    return order


def _redeem(
    checkout: Checkout, order: Order, lines: list[BasketLine], totals: Totals
) -> list[Decimal]:
    """The coupon again, under its row lock: each line's share of the discount."""
    if not checkout.coupon:
        return [Decimal("0")] * len(lines)
    try:
        quoted = coupons.redeem(order, checkout.coupon, lines, checkout.owner, timezone.now())
    except coupons.CouponRefused as refused:
        raise CheckoutError(f"{refused} " + _("Nothing was charged.")) from None
    if quoted.amount != totals.discount:
        raise CheckoutError(_("The discount changed just now. Check the total and pay again."))
    return quoted.line_discounts


def _create_order(checkout: Checkout, totals: Totals) -> Order:
    order = Order.objects.create(
        number=f"CW-{secrets.token_hex(4).upper()}",
        owner=checkout.owner,
        checkout_key=checkout.key,
        status=Status.PLACED,
        language=translation.get_language() or "en",
        subtotal=totals.subtotal,
        shipping=totals.shipping,
        tax=totals.tax,
        tip=totals.tip,
        discount=totals.discount,
        total=totals.total,
        **checkout.details,
    )
    OrderEvent.objects.create(order=order, status=Status.PLACED)
    return order


def _create_lines(order: Order, line: BasketLine, discount: Decimal) -> None:
    product = line.product
    if not product.is_tracker:
        OrderLine.objects.create(
            order=order,
            product=product,
            product_name=product.name,
            unit_price=line.price,
            quantity=line.quantity,
            discount=discount,
        )
        return
    # One line per unit: the line's discount is shared out over its units to the paisa.
    shares = allocate(discount, [line.price] * line.quantity)
    for share in shares:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        device = Device(identifier=_new_identifier(), name=product.name)
        device.set_pairing_code(code)
        device.save()
        OrderLine.objects.create(
            order=order,
            product=product,
            product_name=product.name,
            unit_price=line.price,
            quantity=1,
            discount=share,
            device=device,
            pairing_code=code,
        )


def _new_identifier() -> str:
    """A 15-digit IMEI-like number in a range no real watch uses (starts 99)."""
    while True:
        identifier = "99" + "".join(secrets.choice("0123456789") for _ in range(13))
        if not Device.objects.filter(identifier=identifier).exists():
            return identifier


def _take_payment(order: Order, result: Result, gateway: Gateway, key: str) -> None:
    captured = gateway.capture(result.reference, order.total, f"{key}:capture")
    if not captured.ok:
        raise CheckoutError(message_for(captured.outcome), new_key=True)
    Payment.objects.create(
        order=order,
        gateway=gateway.name,
        reference=result.reference,
        token=result.token,
        brand=result.brand,
        last4=result.last4,
        amount=order.total,
        status=PaymentStatus.CAPTURED,
        idempotency_key=key,
    )
    do_set_status(order, Status.PAID)  # the pipeline queues the confirmation e-mail
