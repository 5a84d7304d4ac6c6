"""Guest orders join an account: the ones this browser placed when it logs in with the
order's e-mail, and every guest order to an address once the account has verified it
(signing up on another device, or logging in later)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from carewatch.kids.store.orders.access import GUEST_ORDERS_KEY
from carewatch.kids.store.orders.models import Order
from carewatch.platform.accounts.models import User


def attach_guest_orders(user: Any, email: str) -> int:
    """Only to a verified address: an unverified one could be anybody's."""
    return Order.objects.filter(owner=None, email__iexact=email).update(owner=user)


@receiver(email_confirmed, dispatch_uid="store_attach_guest_orders_on_verification")
def attach_on_verification(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    attach_guest_orders(email_address.user, email_address.email)


@receiver(user_logged_in, dispatch_uid="store_claim_guest_orders_at_login")
def claim_guest_orders(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    for address in EmailAddress.objects.filter(user=user, verified=True):
        attach_guest_orders(user, address.email)
    session = getattr(request, "session", None)
    numbers = session.get(GUEST_ORDERS_KEY, []) if session is not None else []
    if numbers:
        Order.objects.filter(number__in=numbers, owner=None, email__iexact=user.email).update(
            owner=user
        )
