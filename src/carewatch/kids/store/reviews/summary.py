"""What a product page shows about reviews and questions, in a fixed number of queries
however many reviews there are: one aggregate, the newest, the most helpful, the
answered questions, and the texts the highlights are read from (when not cached)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.reviews.highlights import Highlight, highlights
from carewatch.kids.store.reviews.models import Question, Review, ReviewStatus

SHOWN = 3
QUESTIONS_SHOWN = 5
# Highlights read the newest reviews only: parents talk about the current firmware,
# and the page must not load every review a best-seller ever had.
HIGHLIGHT_SAMPLE = 300
# A review hidden while another is published keeps the count and may keep the newest:
# the highlights then catch up within this time.
HIGHLIGHT_CACHE_SECONDS = 600

ASPECT_LABELS = {
    "battery": _("Battery"),
    "gps": _("GPS accuracy"),
    "sos": _("SOS"),
    "calling": _("Calling"),
    "comfort": _("Comfort and strap"),
    "app": _("App"),
    "water": _("Water"),
    "price": _("Price"),
    "durability": _("Durability"),
}


@dataclass
class ShownHighlight:
    label: str
    highlight: Highlight


@dataclass
class ReviewSummary:
    count: int = 0
    average: float | None = None
    distribution: list[tuple[int, int, int]] = field(default_factory=list)  # stars, n, %
    newest: list[Review] = field(default_factory=list)
    helpful: list[Review] = field(default_factory=list)
    highlights: list[ShownHighlight] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    @property
    def shown(self) -> int:
        return len(self.newest) + len(self.helpful)


def summarise(product: Product) -> ReviewSummary:
    published = Review.objects.published().filter(product=product)
    stats = published.aggregate(
        count=Count("pk"),
        average=Avg("rating"),
        newest=Max("pk"),
        **{f"r{stars}": Count("pk", filter=Q(rating=stars)) for stars in range(1, 6)},
    )
    summary = ReviewSummary(count=stats["count"], average=stats["average"])
    summary.questions = list(Question.objects.public().filter(product=product)[:QUESTIONS_SHOWN])
    if not summary.count:
        return summary
    summary.distribution = [
        (stars, stats[f"r{stars}"], round(100 * stats[f"r{stars}"] / summary.count))
        for stars in range(5, 0, -1)
    ]
    if summary.count > SHOWN:
        voted = published.filter(helpful_count__gt=0)
        summary.helpful = list(voted.order_by("-helpful_count", "-created")[:SHOWN])
    # A review already shown as most helpful is not repeated under the newest.
    newest = published[: 2 * SHOWN]
    summary.newest = [review for review in newest if review not in summary.helpful][:SHOWN]
    found = cached_highlights(published, f"{product.pk}:{summary.count}:{stats['newest']}")
    summary.highlights = [ShownHighlight(str(ASPECT_LABELS[h.aspect]), h) for h in found]
    return summary


def cached_highlights(published: QuerySet[Review], version: str) -> list[Highlight]:
    """Reading a few hundred reviews takes tens of milliseconds: done once per new,
    published or hidden review (the count or the newest changes), not once per view."""
    key = f"reviews:highlights:{version}"
    found = cache.get(key)
    if found is None:
        texts = published.values_list("title", "text")[:HIGHLIGHT_SAMPLE]
        found = highlights(f"{title}. {text}" for title, text in texts)
        cache.set(key, found, HIGHLIGHT_CACHE_SECONDS)
    return list(found)


def with_ratings(products: QuerySet[Product]) -> QuerySet[Product]:
    """Adds `review_count` and `average_rating` to each product of a list in the same
    query (subqueries, so they combine with any other annotation or filter)."""
    published = Review.objects.filter(product=OuterRef("pk"), status=ReviewStatus.PUBLISHED)
    per_product = published.order_by().values("product")
    return products.annotate(
        review_count=Coalesce(Subquery(per_product.annotate(n=Count("pk")).values("n")), 0),
        average_rating=Subquery(per_product.annotate(a=Avg("rating")).values("a")),
    )
