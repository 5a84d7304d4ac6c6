"""Personal offers: single-customer coupons made from what a family bought and owns.

- An accessory discount after a watch was delivered: a strap or charger that fits it.
- A watch for a sibling: the family has a paired watch and more children than watches.

`make_offers(user)` runs after each delivery (a task on the order's "delivered") and every
night for everyone (a periodic task); the unique (customer, offer) pair makes each offer
once per customer however often it runs. The profile shows the usable ones with "Apply".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carewatch.kids.store.catalogue.models import Kind
from carewatch.kids.store.offers.models import Coupon, CouponKind, Offer
from carewatch.kids.store.orders.models import Order, Status

ACCESSORY_PERCENT = Decimal("15")
SIBLING_PERCENT = Decimal("10")
VALID_FOR = dt.timedelta(days=60)


def make_offers(user: Any, now: dt.datetime | None = None) -> list[Coupon]:
    """The offers this customer qualifies for and does not have yet; returns the new ones."""
    now = now or timezone.now()
    made = []
    if _has_delivered_watch(user):
        made.append(_make(user, Offer.ACCESSORY, now))
    if _family_needs_a_watch(user):
        made.append(_make(user, Offer.SIBLING, now))
    return [coupon for coupon in made if coupon is not None]


def _has_delivered_watch(user: Any) -> bool:
    delivered = Order.objects.filter(owner=user, status=Status.DELIVERED)
    return delivered.filter(lines__product__kind=Kind.TRACKER).exists()


def _family_needs_a_watch(user: Any) -> bool:
    from carewatch.platform.accounts.models import Family

    families = Family.objects.filter(memberships__user=user).annotate(
        kids=Count("children", distinct=True),
        watches=Count("devices", filter=Q(devices__paired_at__isnull=False), distinct=True),
    )
    return any(f.watches >= 1 and f.kids > f.watches for f in families)


def _make(user: Any, offer: Offer, now: dt.datetime) -> Coupon | None:
    if Coupon.objects.filter(customer=user, offer=offer).exists():
        return None
    with translation.override(getattr(user, "language", "") or None):
        terms = TERMS[offer]()  # the description in the customer's language
    try:
        with transaction.atomic():
            return Coupon.objects.create(
                customer=user,
                offer=offer,
                valid_from=now,
                valid_until=now + VALID_FOR,
                per_customer_limit=1,
                total_limit=1,
                **terms,
            )
    except IntegrityError:  # a parallel run made it first
        return None


TERMS = {
    Offer.ACCESSORY: lambda: {
        "kind": CouponKind.PERCENT,
        "value": ACCESSORY_PERCENT,
        "applies_to": Kind.ACCESSORY,
        # xgettext:no-python-format
        "description": _("15% off straps and chargers for your watch"),
    },
    Offer.SIBLING: lambda: {
        "kind": CouponKind.PERCENT,
        "value": SIBLING_PERCENT,
        "applies_to": Kind.TRACKER,
        # xgettext:no-python-format
        "description": _("10% off a watch for a brother or sister"),
    },
}


def usable_offers(user: Any, now: dt.datetime | None = None) -> list[Coupon]:
    """The customer's personal coupons that can still be used, newest first."""
    now = now or timezone.now()
    mine = Coupon.objects.filter(customer=user, active=True, valid_from__lte=now)
    mine = mine.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
    return [c for c in mine if c.total_limit is None or c.uses < c.total_limit]
