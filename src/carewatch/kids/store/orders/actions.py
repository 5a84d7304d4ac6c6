"""Changing an order's status: the pipeline table decides; every change is a timeline row.

`do_advance` is what the staff screen calls for any next status the pipeline allows;
the few statuses that do more than change a field (shipping needs a tracking number,
cancelling restocks, refunding gives the money back) are handled here and only here.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders import pipeline, tasks
from carewatch.kids.store.orders.models import Order, OrderEvent, Status
from carewatch.kids.store.payments.gateway import get_gateway
from carewatch.kids.store.payments.models import PaymentStatus


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
        key = f"refund:{payment.idempotency_key}"
        result = get_gateway(payment.gateway).refund(payment.reference, payment.amount, key)
        if not result.ok:
            raise TransitionError(_("The gateway refused the refund. Try again in a minute."))
        payment.status = PaymentStatus.REFUNDED
        payment.save(update_fields=["status"])
    return do_set_status(order, Status.REFUNDED, note=note)


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
