"""Changing an order's status: the pipeline table decides; every change is a timeline row.

`do_advance` is what the staff screen calls for any next status the pipeline allows;
the few statuses that do more than change a field (shipping needs a tracking number,
cancelling restocks, refunding gives the money back) are handled here and only here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.offers.rules import refund_for
from carewatch.kids.store.orders import pipeline, tasks
from carewatch.kids.store.orders.models import Order, OrderEvent, OrderLine, Status
from carewatch.kids.store.payments.gateway import get_gateway
from carewatch.kids.store.payments.models import Payment, PaymentStatus
from carewatch.platform.web.templatetags.money import money


class TransitionError(Exception):
    """The change was refused; the message says why and what to do."""


def do_set_status(order: Order, status: str, note: str = "") -> Order:
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if not pipeline.can_move(locked.status, status):
            raise TransitionError(
                _("An order that is %(current)s cannot become %(new)s.")
                % {
                    "current": locked.get_status_display(),
                    "new": dict(Status.choices).get(status, status),
                }
            )
        locked.status = status
        locked.save(update_fields=["status"])
        OrderEvent.objects.create(order=locked, status=status, note=note)
        for kind in pipeline.EMAILS_ON.get(status, ()):
            transaction.on_commit(partial(tasks.order_email, locked.pk, kind))
    order.status = status
    return order


def do_ship(order: Order, carrier: str, tracking_number: str) -> Order:
    if not carrier.strip() or not tracking_number.strip():
        raise TransitionError(_("Enter the carrier and the tracking number, then ship."))
    with transaction.atomic():
        do_set_status(order, Status.SHIPPED, note=f"{carrier} {tracking_number}")
        Order.objects.filter(pk=order.pk).update(carrier=carrier, tracking_number=tracking_number)
    order.carrier, order.tracking_number = carrier, tracking_number
    return order


def do_cancel(order: Order, note: str = "") -> Order:
    """Cancelling before dispatch puts the goods back on the shelf."""
    with transaction.atomic():
        do_set_status(order, Status.CANCELLED, note=note)
        for product_id, quantity in order.lines.values_list("product_id", "quantity"):
            Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)
    return order


def do_refund(order: Order, note: str = "") -> Order:
    """Gives the captured money back through the gateway that took it, once."""
    if not pipeline.can_move(order.status, Status.REFUNDED):
        raise TransitionError(_("Cancel the order or record the return first, then refund."))
    for payment in order.payments.filter(status=PaymentStatus.CAPTURED):
        rest = payment.amount - payment.refunded  # less what returned lines got back
        key = f"refund:{payment.idempotency_key}"
        result = get_gateway(payment.gateway).refund(payment.reference, rest, key) if rest else None
        if result is not None and not result.ok:
            raise TransitionError(_("The gateway refused the refund. Try again in a minute."))
        payment.status, payment.refunded = PaymentStatus.REFUNDED, payment.amount
        payment.save(update_fields=["status", "refunded"])
    return do_set_status(order, Status.REFUNDED, note=note)


def do_refund_lines(order: Order, line_ids: Iterable[int], note: str = "") -> Decimal:
    """Gives back some lines (a returned strap): what they cost less their share of the
    order's discounts, so a discounted order is never refunded more than was paid for
    it. The order keeps its status; the timeline says what was refunded."""
    with transaction.atomic():
        lines = list(
            OrderLine.objects.select_for_update().filter(
                order=order, pk__in=list(line_ids), refunded=False
            )
        )
        payment = order.payments.select_for_update().filter(status=PaymentStatus.CAPTURED).first()
        if not lines or payment is None:
            raise TransitionError(_("Nothing to refund: those items are refunded already."))
        amount = refund_for([(line.line_total, line.discount) for line in lines])
        _give_back(payment, amount, "-".join(str(line.pk) for line in lines))
        OrderLine.objects.filter(pk__in=[line.pk for line in lines]).update(refunded=True)
        said = _("Refunded ₹%(amount)s for %(items)s.") % {
            "amount": money(amount),
            "items": ", ".join(str(line) for line in lines),
        }
        OrderEvent.objects.create(order=order, status=order.status, note=(note or said)[:200])
    return amount


def _give_back(payment: Payment, amount: Decimal, what: str) -> None:
    if amount > payment.amount - payment.refunded:
        raise TransitionError(_("That is more than is left to refund on this payment."))
    key = f"refund:{payment.idempotency_key}:lines:{what}"
    result = get_gateway(payment.gateway).refund(payment.reference, amount, key)
    if not result.ok:
        raise TransitionError(_("The gateway refused the refund. Try again in a minute."))
    Payment.objects.filter(pk=payment.pk).update(refunded=F("refunded") + amount)


def do_reschedule(order: Order, day: date, slot: str) -> Order:
    if pipeline.is_final(order.status) or order.status == Status.DELIVERED:
        raise TransitionError(_("This order can no longer be rescheduled."))
    Order.objects.filter(pk=order.pk).update(delivery_date=day, delivery_slot=slot)
    order.delivery_date, order.delivery_slot = day, slot
    return order


def do_advance(order: Order, status: str, carrier: str = "", tracking_number: str = "") -> Order:
    if status == Status.SHIPPED:
        return do_ship(order, carrier, tracking_number)
    if status == Status.CANCELLED:
        return do_cancel(order)
    if status == Status.REFUNDED:
        return do_refund(order)
    return do_set_status(order, status)
