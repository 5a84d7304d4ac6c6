"""The tables the pages read: written by build.refresh() (a periodic task), never in a request."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.recommend.core import model as core_model
from carewatch.kids.store.recommend.core import related as core_related


class RelatedReason(models.TextChoices):
    FITS = core_related.FITS, _("Fits this model")
    BOUGHT_TOGETHER = core_related.BOUGHT_TOGETHER, _("Often bought together")
    SIMILAR = core_related.SIMILAR, _("Similar")


class Reason(models.TextChoices):
    FITS = core_model.FITS, _("Fits your watch")
    SECOND_WATCH = core_model.SECOND_WATCH, _("For a child without a watch")
    FOR_YOU = core_model.FOR_YOU, _("From what you bought and looked at")
    POPULAR = core_model.POPULAR, _("Popular with families like yours")


class RelatedProduct(models.Model):
    product = models.ForeignKey(Product, models.CASCADE, related_name="related_rows")
    related = models.ForeignKey(Product, models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=RelatedReason.choices)
    score = models.FloatField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["product", "position"]
        constraints = [
            models.UniqueConstraint(fields=["product", "related"], name="one_related_row")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} -> {self.related_id}"


class RecommendationRow(models.Model):
    """One recommendation for one customer, or (user empty) for a segment of visitors:
    NEW_VISITORS, or the slug of a tracker the family owns."""

    NEW_VISITORS = "new"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="store_recommendations",
    )
    segment = models.CharField(max_length=60, blank=True)
    product = models.ForeignKey(Product, models.CASCADE, related_name="+")
    score = models.FloatField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    # The watch it fits (a product name) or a child's age, for the sentence on the page.
    about = models.CharField(max_length=80, blank=True)
    position = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]
        indexes = [
            models.Index(fields=["user", "position"], name="recommendation_user"),
            models.Index(fields=["segment", "position"], name="recommendation_segment"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id or self.segment}: {self.product_id}"


class ProductView(models.Model):
    """A signed-in customer opened a product page: written once per product per session."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.user_id} viewed {self.product_id}"
