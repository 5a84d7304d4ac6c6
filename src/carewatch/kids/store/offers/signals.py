"""A delivered order makes its customer's personal offers (after the commit, as a task)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from carewatch.kids.store.orders.models import OrderEvent, Status


def on_order_event(sender: Any, instance: OrderEvent, created: bool, **kwargs: Any) -> None:
    if not created or instance.status != Status.DELIVERED:
        return
    owner_id = instance.order.owner_id
    if owner_id is not None:
        from carewatch.kids.store.offers import tasks

        transaction.on_commit(partial(tasks.offers_for, owner_id))
