"""What the pages show, read from the stored tables (one query each, no model work)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders.models import Order
from carewatch.kids.store.recommend.core import related as core_related
from carewatch.kids.store.recommend.models import (
    ProductView,
    Reason,
    RecommendationRow,
    RelatedProduct,
    RelatedReason,
)
from carewatch.kids.tracker.models import Device
from carewatch.platform.accounts.models import User

SHOWN = 4
VIEWED_KEY = "store_viewed"  # product ids this session already recorded
VIEWED_KEPT = 50
AVAILABLE = Q(product__is_active=True, product__stock__gt=0)


@dataclass(frozen=True)
class Shown:
    product: Product
    reason: str  # a sentence for the page


def related_to(product: Product, limit: int = SHOWN) -> list[Shown]:
    rows = RelatedProduct.objects.filter(
        product=product, related__is_active=True, related__stock__gt=0
    ).select_related("related")[:limit]
    return [Shown(row.related, related_reason(row.reason, product.name)) for row in rows]


def related_to_basket(products: list[Product], limit: int = SHOWN) -> list[Shown]:
    """Fitting accessories of the basket's trackers first; nothing already in the basket."""
    rows = RelatedProduct.objects.filter(
        product__in=products, related__is_active=True, related__stock__gt=0
    ).select_related("product", "related")
    by_product: dict[str, list[core_related.Related]] = {}
    found: dict[str, tuple[Product, Product]] = {}
    for row in rows:
        slug = row.related.slug
        by_product.setdefault(row.product.slug, []).append(
            core_related.Related(slug, row.score, row.reason)
        )
        found.setdefault(slug, (row.related, row.product))
    picks = core_related.related_for_basket([p.slug for p in products], by_product, limit)
    return [Shown(found[p.slug][0], related_reason(p.reason, found[p.slug][1].name)) for p in picks]


def related_reason(reason: str, name: str) -> str:
    if reason == RelatedReason.FITS:
        return _("Fits the %(name)s") % {"name": name}
    if reason == RelatedReason.BOUGHT_TOGETHER:
        return _("Often bought with the %(name)s") % {"name": name}
    return _("Similar to the %(name)s") % {"name": name}


def recommendation_reason(row: RecommendationRow) -> str:
    if row.reason == Reason.FITS:
        return _("Fits your %(watch)s") % {"watch": row.about}
    if row.reason == Reason.SECOND_WATCH:
        if row.about:
            return _("For your %(age)s-year-old, who has no watch yet") % {"age": row.about}
        return _("For a child in your family who has no watch yet")
    if row.reason == Reason.FOR_YOU:
        return _("Picked from what you bought and looked at")
    return _("Popular with families like yours")


def for_user(
    user: User | AnonymousUser | None, exclude: set[int] | None = None, limit: int = SHOWN
) -> list[Shown]:
    """The customer's own rows; a signed-in customer the model has not met yet gets the
    rows of their segment (the family's tracker), a visitor those of new visitors."""
    exclude = set(exclude or ())
    rows: list[RecommendationRow] = []
    if user is not None and user.is_authenticated:
        rows = list(_available(RecommendationRow.objects.filter(user=user)))
        if rows:
            bought = Order.objects.filter(owner=user, created__gte=rows[0].computed_at)
            exclude |= set(bought.values_list("lines__product", flat=True))
    if not rows:
        rows = list(_available(RecommendationRow.objects.filter(user=None, segment=segment(user))))
    shown = [
        Shown(r.product, recommendation_reason(r)) for r in rows if r.product_id not in exclude
    ]
    return shown[:limit]


def after_order(user: User | AnonymousUser | None, order: Order, limit: int = SHOWN) -> list[Shown]:
    """Under an order: the owner's recommendations without what was just bought; for a
    guest (or before the model knows the owner) what goes with the order's products."""
    products = [line.product for line in order.lines.all() if line.product is not None]
    ids = {p.pk for p in products}
    mine = isinstance(user, User) and order.owner_id == user.pk
    if mine and RecommendationRow.objects.filter(user=order.owner_id).exists():
        return for_user(user, ids, limit)
    return related_to_basket(products, limit)


def _available(rows: QuerySet[RecommendationRow]) -> list[RecommendationRow]:
    return list(rows.filter(AVAILABLE).select_related("product").order_by("position"))


def segment(user: User | AnonymousUser | None) -> str:
    """The tracker model the customer's family has most recently paired, else new visitors."""
    if user is None or not user.is_authenticated:
        return RecommendationRow.NEW_VISITORS
    model = (
        Device.objects.filter(family__memberships__user=user, order_line__product__isnull=False)
        .order_by("-paired_at")
        .values_list("order_line__product__slug", flat=True)
        .first()
    )
    return model or RecommendationRow.NEW_VISITORS


def record_view(request: HttpRequest, product: Product) -> None:
    """A signed-in customer's first view of a product in this session becomes one row;
    visitors without an account are not recorded (no session is made for them)."""
    if not request.user.is_authenticated:
        return
    seen: list[int] = request.session.get(VIEWED_KEY, [])
    if product.pk in seen:
        return
    request.session[VIEWED_KEY] = [*seen, product.pk][-VIEWED_KEPT:]
    ProductView.objects.create(user=request.user, product=product)
