"""Reads the shop into the pure core's types and rewrites the tables the pages read.

refresh() is the whole job (the periodic task and `manage train_recommendations` call
it): related products for every product, the model trained on orders, baskets and
views, each customer's recommendations with the rules applied, and the fallback rows
for visitors the model does not know (a new visitor; a family that owns a tracker).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from carewatch.kids.store.basket.models import BasketLine
from carewatch.kids.store.catalogue import pagecache
from carewatch.kids.store.catalogue.models import Kind, Product
from carewatch.kids.store.orders.models import OrderLine, Status
from carewatch.kids.store.recommend.core.items import ACCESSORY, TRACKER, Item, spec_features
from carewatch.kids.store.recommend.core.model import (
    BASKET,
    FITS,
    ORDER,
    VIEW,
    Config,
    Event,
    Household,
    Model,
    Pick,
    recommend_for,
    train,
)
from carewatch.kids.store.recommend.core.related import co_occurrence, related_for
from carewatch.kids.store.recommend.models import ProductView, RecommendationRow, RelatedProduct
from carewatch.kids.tracker.models import Child, Device
from carewatch.platform.accounts.models import FamilyMembership

log = logging.getLogger(__name__)
BOUGHT = [Status.PAID, Status.PACKED, Status.SHIPPED, Status.OUT_FOR_DELIVERY, Status.DELIVERED]
VIEWS_KEPT = dt.timedelta(days=180)
PER_USER = 6


@dataclass(frozen=True)
class Written:
    related: int
    users: int
    rows: int


def catalogue_items() -> dict[str, Item]:
    products = Product.objects.prefetch_related("fits")
    return {p.slug: _item(p) for p in products}


def _item(p: Product) -> Item:
    features = spec_features(
        gps=p.gps,
        wifi=p.wifi,
        lte=p.lte,
        battery_hours=p.battery_hours,
        water_rating=p.water_rating,
        sos_button=p.sos_button,
        calling=p.calling,
        school_mode=p.school_mode,
        min_age=p.min_age,
        max_age=p.max_age,
    )
    kind = TRACKER if p.kind == Kind.TRACKER else ACCESSORY
    fits = frozenset(f.slug for f in p.fits.all())
    available = p.is_active and p.stock > 0
    return Item(
        p.slug, p.name, kind, float(p.price), features, fits, p.min_age, p.max_age, available
    )


def bought_lines() -> list[tuple[int, int | None, str]]:
    """(order id, owner id, product slug) of every paid order line."""
    lines = OrderLine.objects.filter(order__status__in=BOUGHT, product__isnull=False)
    return list(lines.values_list("order_id", "order__owner_id", "product__slug"))


def events(lines: list[tuple[int, int | None, str]], now: dt.datetime) -> list[Event]:
    found = [Event(owner, slug, ORDER) for _, owner, slug in lines if owner is not None]
    basket = BasketLine.objects.filter(basket__owner__isnull=False, quantity__gt=0)
    found += [
        Event(u, s, BASKET) for u, s in basket.values_list("basket__owner_id", "product__slug")
    ]
    views = ProductView.objects.filter(viewed_at__gte=now - VIEWS_KEPT)
    found += [Event(u, s, VIEW) for u, s in views.values_list("user_id", "product__slug")]
    return found


def households(users: set[int], lines: list[tuple[int, int | None, str]]) -> dict[int, Household]:
    """Each customer's family as the rules see it: what is owned, the watches, the children
    without one (a tracker bought and not yet paired counts as theirs)."""
    owned: dict[int, set[str]] = defaultdict(set)
    for _, owner, slug in lines:
        if owner is not None:
            owned[owner].add(slug)
    families: dict[int, set[int]] = defaultdict(set)
    for user, family in FamilyMembership.objects.filter(user__in=users).values_list(
        "user_id", "family_id"
    ):
        families[user].add(family)
    family_ids = {f for fs in families.values() for f in fs}
    devices = Device.objects.filter(family__in=family_ids, order_line__product__isnull=False)
    models: dict[int, list[str]] = defaultdict(list)
    equipped: set[int] = set()
    for family, child, slug in devices.order_by("-paired_at").values_list(
        "family_id", "child_id", "order_line__product__slug"
    ):
        models[family].append(slug)
        equipped.add(child)
    children = Child.objects.filter(family__in=family_ids).exclude(pk__in=equipped)
    bare: dict[int, list[int]] = defaultdict(list)
    year = timezone.localdate().year
    for family, born in children.order_by("-birth_year").values_list("family_id", "birth_year"):
        bare[family].append(year - born if born else -1)
    trackers = _tracker_slugs()
    baskets: dict[int, set[str]] = defaultdict(set)
    lines_in = BasketLine.objects.filter(basket__owner__in=users, quantity__gt=0)
    for user, slug in lines_in.values_list("basket__owner_id", "product__slug"):
        baskets[user].add(slug)
    return {
        user: replace(
            _household(owned[user], families[user], models, bare, trackers),
            basket=frozenset(baskets[user]),
        )
        for user in users
    }


def _household(
    owned: set[str],
    families: set[int],
    models: dict[int, list[str]],
    bare: dict[int, list[int]],
    trackers: set[str],
) -> Household:
    paired = [slug for f in sorted(families) for slug in models[f]]
    bought = sorted(s for s in owned if s in trackers)
    watches = tuple(dict.fromkeys(paired + bought))
    ages = sorted((a for f in families for a in bare[f]), reverse=True)
    unpaired = max(len(bought) - len(paired), 0)
    return Household(frozenset(owned | set(paired)), watches, tuple(ages[unpaired:]))


def _tracker_slugs() -> set[str]:
    return set(Product.objects.filter(kind=Kind.TRACKER).values_list("slug", flat=True))


def refresh(config: Config | None = None, now: dt.datetime | None = None) -> Written:
    config = config or Config()
    now = now or timezone.now()
    catalogue = catalogue_items()
    lines = bought_lines()
    orders: dict[int, list[str]] = defaultdict(list)
    for order, _, slug in lines:
        orders[order].append(slug)
    together = co_occurrence(orders.values())
    ids = dict(Product.objects.values_list("slug", "pk"))
    names = {slug: item.name for slug, item in catalogue.items()}
    related = [
        RelatedProduct(
            product_id=ids[item.slug],
            related_id=ids[r.slug],
            reason=r.reason,
            score=r.score,
            position=position,
        )
        for item in catalogue.values()
        for position, r in enumerate(related_for(item, catalogue, together))
    ]
    found = events(lines, now)
    model = train(found, sorted(catalogue), config)
    users = {e.user for e in found} | set(
        FamilyMembership.objects.filter(family__devices__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    homes = households(users, lines)
    rows = [
        _row(ids, names, pick, position, now, user_id=user)
        for user, home in homes.items()
        for position, pick in enumerate(
            recommend_for(model, user, home, catalogue, config, PER_USER)
        )
    ]
    rows += _segment_rows(model, catalogue, ids, config, now)
    with transaction.atomic():
        ProductView.objects.filter(viewed_at__lt=now - VIEWS_KEPT).delete()
        RelatedProduct.objects.all().delete()
        RelatedProduct.objects.bulk_create(related)
        RecommendationRow.objects.all().delete()
        RecommendationRow.objects.bulk_create(rows, batch_size=500)
        transaction.on_commit(pagecache.new_generation)
    log.info(
        "recommendations: %d related rows, %d customers, %d rows",
        len(related),
        len(homes),
        len(rows),
    )
    return Written(len(related), len(homes), len(rows))


def _segment_rows(
    model: Model, catalogue: dict[str, Item], ids: dict[str, int], config: Config, now: dt.datetime
) -> list[RecommendationRow]:
    """For visitors the model does not know: popular with new visitors, or with the
    families who own this tracker."""
    names = {slug: item.name for slug, item in catalogue.items()}
    segments = {RecommendationRow.NEW_VISITORS: Household()}
    for item in catalogue.values():
        if item.is_tracker:
            segments[item.slug] = Household(frozenset({item.slug}), (item.slug,))
    return [
        _row(ids, names, pick, position, now, segment=segment)
        for segment, home in segments.items()
        for position, pick in enumerate(
            recommend_for(model, None, home, catalogue, config, PER_USER)
        )
    ]


def _row(
    ids: dict[str, int],
    names: dict[str, str],
    pick: Pick,
    position: int,
    now: dt.datetime,
    **who: object,
) -> RecommendationRow:
    about = names.get(pick.about, pick.about) if pick.reason == FITS else pick.about
    return RecommendationRow(
        product_id=ids[pick.slug],
        score=pick.score,
        reason=pick.reason,
        about=about[:80],
        position=position,
        computed_at=now,
        **who,
    )
