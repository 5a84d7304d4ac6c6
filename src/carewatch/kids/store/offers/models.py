"""A Coupon holds the terms; an OrderDiscount is what one order took off and why.

`uses` counts redemptions and is only ever raised by a conditional UPDATE inside the
payment's transaction (see coupons.redeem), so the total limit holds when two customers
pay with the last use at the same moment, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.catalogue.models import Category, Kind, Product
from carewatch.kids.store.offers import rules


class CouponKind(models.TextChoices):
    PERCENT = rules.Kind.PERCENT, _("Percent off")
    FIXED = rules.Kind.FIXED, _("Rupees off")


class Segment(models.TextChoices):
    EVERYONE = "", _("Everyone")
    BOUGHT_PRODUCT = "bought_product", _("Customers who bought the product below")
    BOUGHT_CATEGORY = "bought_category", _("Customers who bought from the category below")
    PAIRED_DEVICE = "paired_device", _("Families with a paired watch")


class Offer(models.TextChoices):
    """The personal offers made by personal.py; '' for a coupon staff wrote."""

    NONE = "", _("Not a personal offer")
    ACCESSORY = "accessory_after_device", _("An accessory for the watch they bought")
    SIBLING = "sibling_device", _("A watch for a child who has none")


def _new_code() -> str:
    return rules.new_code()


class Coupon(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True, default=_new_code)
    description = models.CharField(
        _("what the customer reads"),
        max_length=200,
        # xgettext:no-python-format
        help_text=_("For example: 15% off straps."),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=CouponKind.choices)
    value = models.DecimalField(
        _("percent or rupees"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    min_basket = models.DecimalField(
        _("minimum basket (INR)"), max_digits=9, decimal_places=2, default=0
    )
    first_order_only = models.BooleanField(_("first order only"), default=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="store_coupons",
        verbose_name=_("only for this customer"),
    )
    segment = models.CharField(
        _("only for"), max_length=20, choices=Segment.choices, blank=True, default=""
    )
    segment_product = models.ForeignKey(
        Product, models.CASCADE, null=True, blank=True, related_name="+"
    )
    segment_category = models.ForeignKey(
        Category, models.CASCADE, null=True, blank=True, related_name="+"
    )
    applies_to = models.CharField(
        _("takes off"),
        max_length=10,
        choices=[("", _("every product"))] + list(Kind.choices),
        blank=True,
        default="",
    )
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    per_customer_limit = models.PositiveIntegerField(
        _("uses per customer"), null=True, blank=True, default=1
    )
    total_limit = models.PositiveIntegerField(_("uses in total"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("used"), default=0)
    active = models.BooleanField(_("active"), default=True)
    offer = models.CharField(
        _("personal offer"), max_length=30, choices=Offer.choices, blank=True, default=""
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("coupon")
        constraints = [
            # personal.py makes each offer once per customer, however often it runs.
            models.UniqueConstraint(
                fields=["customer", "offer"],
                condition=~models.Q(offer=""),
                name="one_personal_offer_per_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="percent") | models.Q(value__lte=100),
                name="percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.description}"

    def clean(self) -> None:
        """What the admin form refuses: a segment without what it is about. A code staff
        type is stored as customers' codes are looked up (upper case, letters and digits)."""
        self.code = rules.normalise(self.code)
        if not self.code:
            raise ValidationError({"code": _("A code needs letters or digits.")})
        needs = {
            Segment.BOUGHT_PRODUCT: ("segment_product", self.segment_product_id),
            Segment.BOUGHT_CATEGORY: ("segment_category", self.segment_category_id),
        }
        field, value = needs.get(Segment(self.segment), ("", True))
        if not value:
            raise ValidationError({field: _("Choose which one the segment is about.")})
        if self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": _("The end must come after the start.")})

    def terms(self) -> rules.Terms:
        return rules.Terms(
            kind=rules.Kind(self.kind),
            value=Decimal(self.value),
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            min_basket=Decimal(self.min_basket),
            first_order_only=self.first_order_only,
            customer_id=self.customer_id,
            has_segment=bool(self.segment),
            per_customer_limit=self.per_customer_limit,
            total_limit=self.total_limit,
            applies_to=self.applies_to,
            active=self.active,
        )


class OrderDiscount(models.Model):
    """A discount line of an order: which coupon or offer, its words then, and the amount."""

    order = models.ForeignKey("orders.Order", models.CASCADE, related_name="discounts")
    coupon = models.ForeignKey(
        Coupon, models.SET_NULL, null=True, blank=True, related_name="redemptions"
    )
    code = models.CharField(_("code"), max_length=40)
    description = models.CharField(_("why"), max_length=200)
    offer = models.CharField(max_length=30, choices=Offer.choices, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("order discount")
        constraints = [
            models.UniqueConstraint(fields=["order", "coupon"], name="one_use_per_order")
        ]

    def __str__(self) -> str:
        return f"{self.code}: -{self.amount}"
