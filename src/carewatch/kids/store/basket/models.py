from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.catalogue.models import Product

MAX_QUANTITY = 10


class Basket(models.Model):
    """An anonymous basket lives in the session; at login it is merged into the owner's."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="store_baskets",
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("basket")
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=models.Q(owner__isnull=False),
                name="one_basket_per_owner",
            )
        ]

    def __str__(self) -> str:
        return f"Basket {self.pk}"

    def lines_with_products(self) -> list[BasketLine]:
        """Lines with something to buy: a quantity of 0 is no line (it made ₹0.00 orders)."""
        lines = self.lines.filter(quantity__gt=0).select_related("product")
        return list(lines.order_by("pk"))


class BasketLine(models.Model):
    basket = models.ForeignKey(Basket, models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, models.CASCADE, related_name="+")
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    # The price when it was added: checkout compares it with today's and says so if it moved.
    price = models.DecimalField(_("price when added"), max_digits=9, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["basket", "product"], name="one_line_per_product")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"

    @property
    def line_total(self) -> Decimal:
        return self.price * self.quantity

    @property
    def current_total(self) -> Decimal:
        return self.product.price * self.quantity

    @property
    def price_changed(self) -> bool:
        return self.price != self.product.price
