"""Changing an order's status: the pipeline table decides; every change is a timeline row."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from carewatch.kids.store.orders import pipeline
from carewatch.kids.store.orders.models import Order, OrderEvent


class TransitionError(Exception):
    pass


def do_set_status(order: Order, status: str, note: str = "") -> Order:
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if not pipeline.can_move(locked.status, status):
            raise TransitionError(
                _("An order that is %(current)s cannot become %(new)s.")
                % {"current": locked.get_status_display(), "new": status}
            )
        locked.status = status
        locked.save(update_fields=["status"])
        OrderEvent.objects.create(order=locked, status=status, note=note)
    order.status = status
    return order
