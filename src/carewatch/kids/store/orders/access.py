"""Who may open an order page, and the signed "Follow your order" link of the order
e-mails: a guest reads the e-mail on another phone than the one that checked out, so the
link carries its own access to that one order. An order with an account stays behind the
account's login."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

from carewatch.kids.store.orders.models import Order

SALT = "carewatch.store.order.follow"
# The last order e-mail (a review request) goes a week or two after delivery; a parent
# looks an order up months later.
MAX_AGE = dt.timedelta(days=365)
GUEST_ORDERS_KEY = "store_guest_orders"


def make_token(order: Order) -> str:
    return signing.dumps(order.number, salt=SALT, compress=False)


def follow_path(order: Order) -> str:
    """The link the e-mails carry. For an order with an account it only leads to the
    login: a guest order attached later keeps working from its old e-mails."""
    return reverse("store:order_follow", args=[order.number, make_token(order)])


def token_opens(token: str, order: Order) -> bool:
    try:
        number = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # also an expired one
        return False
    return bool(number == order.number)


def remember_guest_order(request: HttpRequest, order: Order) -> None:
    numbers = request.session.get(GUEST_ORDERS_KEY, [])
    if order.number not in numbers:
        request.session[GUEST_ORDERS_KEY] = [*numbers, order.number][-20:]


def can_view(request: HttpRequest, order: Order) -> bool:
    if order.owner_id is not None:
        return request.user.is_authenticated and order.owner_id == request.user.pk
    return order.number in request.session.get(GUEST_ORDERS_KEY, [])
