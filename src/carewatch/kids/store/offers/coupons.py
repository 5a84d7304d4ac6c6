"""The shell around rules.py: find a coupon, gather the facts, say why not, and redeem it
inside the payment's transaction.

`quote` is what the basket and the payment page show; `redeem` runs inside the order's
transaction with the coupon row locked and raises `CouponRefused` when a rule no longer
holds (used up meanwhile, expired a second ago, the customer's other order took the last
use). The conditional UPDATE on `uses` is the final word on the total limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from carewatch.kids.store.basket.models import BasketLine
from carewatch.kids.store.offers import rules
from carewatch.kids.store.offers.models import Coupon, OrderDiscount, Segment
from carewatch.kids.store.orders.models import Order, Status
from carewatch.platform.web.templatetags.money import money

# Orders that count as "an earlier order" for first-order-only coupons.
NOT_AN_ORDER = [Status.PLACED, Status.CANCELLED, Status.REFUNDED]


class CouponRefused(Exception):
    """The coupon does not apply; the message says why and what to do."""

    def __init__(self, message: str, reason: rules.Refusal | None = None) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Quote:
    coupon: Coupon
    line_discounts: list[Decimal]  # one per basket line, same order

    @property
    def amount(self) -> Decimal:
        return sum(self.line_discounts, Decimal("0"))


def find(code: str) -> Coupon | None:
    code = rules.normalise(code)
    return Coupon.objects.filter(code=code).first() if code else None


def lines_of(basket_lines: Sequence[BasketLine]) -> list[rules.Line]:
    return [rules.Line(line.product.kind, line.price, line.quantity) for line in basket_lines]


def quote(
    code: str, basket_lines: Sequence[BasketLine], user: Any, email: str = "", now: Any = None
) -> Quote:
    """The discount this coupon gives this basket, or CouponRefused with the sentence."""
    coupon = find(code)
    if coupon is None:
        raise CouponRefused(
            _("We do not know the coupon “%(code)s”. Check the letters and try again.")
            % {"code": rules.normalise(code)}
        )
    return check(coupon, basket_lines, user, email, now or timezone.now())


def check(
    coupon: Coupon, basket_lines: Sequence[BasketLine], user: Any, email: str, now: datetime
) -> Quote:
    lines = lines_of(basket_lines)
    terms = coupon.terms()
    reason = rules.refusal(terms, situation(coupon, lines, user, email, now))
    if reason is not None:
        raise CouponRefused(sentence(reason, coupon), reason)
    return Quote(coupon, rules.discounts(terms, lines))


def situation(
    coupon: Coupon, lines: list[rules.Line], user: Any, email: str, now: datetime
) -> rules.Situation:
    customer = user if getattr(user, "is_authenticated", False) else None
    mine = Q(owner=customer) if customer is not None else Q(owner=None, email__iexact=email)
    earlier = Order.objects.filter(mine).exclude(status__in=NOT_AN_ORDER)
    if customer is None and not email:
        earlier = Order.objects.none()
    uses = OrderDiscount.objects.filter(coupon=coupon)
    used_by_me = uses.filter(customer=customer) if customer else uses.filter(email__iexact=email)
    return rules.Situation(
        now=now,
        lines=lines,
        customer_id=customer.pk if customer is not None else None,
        earlier_orders=earlier.count(),
        uses_by_customer=used_by_me.count() if (customer or email) else 0,
        uses_total=coupon.uses,
        in_segment=customer is not None and in_segment(coupon, customer),
    )


def in_segment(coupon: Coupon, user: Any) -> bool:
    bought = Order.objects.filter(owner=user).exclude(status__in=NOT_AN_ORDER)
    if coupon.segment == Segment.BOUGHT_PRODUCT:
        return bought.filter(lines__product=coupon.segment_product_id).exists()
    if coupon.segment == Segment.BOUGHT_CATEGORY:
        return bought.filter(lines__product__category=coupon.segment_category_id).exists()
    if coupon.segment == Segment.PAIRED_DEVICE:
        from carewatch.kids.tracker.models import Device

        return Device.objects.filter(family__memberships__user=user).exists()
    return coupon.segment == ""


def sentence(reason: rules.Refusal, coupon: Coupon) -> str:
    """Why not, and what to do next, in one or two sentences."""
    values = {
        "code": coupon.code,
        "minimum": money(coupon.min_basket),
        "from": _when(coupon.valid_from),
        "until": _when(coupon.valid_until),
    }
    return SENTENCES[reason]() % values


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "j F Y, H:i")


SENTENCES = {
    rules.Refusal.INACTIVE: lambda: _(
        "The coupon %(code)s has been withdrawn. Remove it to pay the full price."
    ),
    rules.Refusal.NOT_YET_VALID: lambda: _(
        "The coupon %(code)s is valid from %(from)s. Use it then, or pay now without it."
    ),
    rules.Refusal.EXPIRED: lambda: _(
        "The coupon %(code)s expired on %(until)s. Remove it to pay the full price."
    ),
    rules.Refusal.USED_UP: lambda: _(
        "The coupon %(code)s has been used as many times as it allows. "
        "Remove it to pay the full price."
    ),
    rules.Refusal.USED_BY_YOU: lambda: _(
        "You have already used the coupon %(code)s as often as it allows. "
        "Remove it to pay the full price."
    ),
    rules.Refusal.NEEDS_ACCOUNT: lambda: _(
        "The coupon %(code)s is for a customer's account. Log in to use it."
    ),
    rules.Refusal.ANOTHER_CUSTOMER: lambda: _(
        "The coupon %(code)s belongs to another customer's account. "
        "Log in as that customer, or remove it."
    ),
    rules.Refusal.NOT_IN_SEGMENT: lambda: _(
        "The coupon %(code)s is for customers of a particular product or with a paired watch. "
        "Remove it to pay the full price."
    ),
    rules.Refusal.FIRST_ORDER_ONLY: lambda: _(
        "The coupon %(code)s is for a first order only, and you have ordered before. "
        "Remove it to pay the full price."
    ),
    rules.Refusal.MINIMUM_NOT_REACHED: lambda: _(
        "The coupon %(code)s needs a basket of at least ₹%(minimum)s. "
        "Add something to your basket to use it."
    ),
    rules.Refusal.NOTHING_ELIGIBLE: lambda: _(
        "The coupon %(code)s takes nothing off what is in your basket. "
        "Add a product it covers, or remove it."
    ),
}


def redeem(
    order: Order, code: str, basket_lines: Sequence[BasketLine], user: Any, now: datetime
) -> Quote:
    """Inside the order's transaction: lock the coupon, check every rule again, take one
    use (the conditional UPDATE refuses the one past the total limit) and write the
    discount line."""
    found = find(code)
    coupon = Coupon.objects.select_for_update().filter(pk=found.pk).first() if found else None
    if coupon is None:
        raise CouponRefused(_("That coupon no longer exists. Remove it to pay the full price."))
    quoted = check(coupon, basket_lines, user, order.email, now)
    limit = Q(total_limit__isnull=True) | Q(uses__lt=F("total_limit"))
    if not Coupon.objects.filter(limit, pk=coupon.pk).update(uses=F("uses") + 1):
        raise CouponRefused(sentence(rules.Refusal.USED_UP, coupon), rules.Refusal.USED_UP)
    customer = user if getattr(user, "is_authenticated", False) else None
    OrderDiscount.objects.create(
        order=order,
        coupon=coupon,
        code=coupon.code,
        description=coupon.description,
        offer=coupon.offer,
        amount=quoted.amount,
        customer=customer,
        email=order.email,
    )
    return quoted
