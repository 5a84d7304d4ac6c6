"""A guest who then logs in or signs up with the order's e-mail gets the order in the account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from carewatch.kids.store.orders.models import Order
from carewatch.kids.store.orders.views import GUEST_ORDERS_KEY
from carewatch.platform.accounts.models import User


@receiver(user_logged_in, dispatch_uid="store_claim_guest_orders_at_login")
def claim_guest_orders(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    numbers = session.get(GUEST_ORDERS_KEY, []) if session is not None else []
    if numbers:
        Order.objects.filter(number__in=numbers, owner=None, email__iexact=user.email).update(
            owner=user
        )
