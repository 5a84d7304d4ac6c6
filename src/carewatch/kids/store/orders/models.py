from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders import pipeline


class Status(models.TextChoices):
    PLACED = pipeline.PLACED, _("Placed")
    PAID = pipeline.PAID, _("Paid")
    PACKED = pipeline.PACKED, _("Packed")
    SHIPPED = pipeline.SHIPPED, _("Shipped")
    OUT_FOR_DELIVERY = pipeline.OUT_FOR_DELIVERY, _("Out for delivery")
    DELIVERED = pipeline.DELIVERED, _("Delivered")
    CANCELLED = pipeline.CANCELLED, _("Cancelled")
    REFUNDED = pipeline.REFUNDED, _("Refunded")
    RETURNED = pipeline.RETURNED, _("Returned")


class Slot(models.TextChoices):
    MORNING = "09-12", _("Morning, 9:00–12:00")
    AFTERNOON = "12-15", _("Afternoon, 12:00–15:00")
    LATE = "15-18", _("Late afternoon, 15:00–18:00")
    EVENING = "18-21", _("Evening, 18:00–21:00")


class Order(models.Model):
    number = models.CharField(_("order number"), max_length=16, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="store_orders",
    )
    # One checkout attempt makes at most one order: a second click finds this one.
    checkout_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    language = models.CharField(max_length=10, default="en")
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("mobile number"), max_length=20)
    address_line1 = models.CharField(_("address"), max_length=200)
    address_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=80)
    state = models.CharField(_("state"), max_length=80)
    pincode = models.CharField(_("PIN code"), max_length=6)
    delivery_date = models.DateField(_("delivery date"))
    delivery_slot = models.CharField(_("delivery time"), max_length=5, choices=Slot.choices)
    subtotal = models.DecimalField(max_digits=10, decimal_places=2)
    shipping = models.DecimalField(max_digits=10, decimal_places=2)
    tax = models.DecimalField(_("GST included"), max_digits=10, decimal_places=2)
    tip = models.DecimalField(
        _("tip for the delivery person"), max_digits=7, decimal_places=2, default=0
    )
    # Coupons and offers taken off the goods (the discount lines say which and why).
    discount = models.DecimalField(_("discount"), max_digits=10, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=10, decimal_places=2)
    created = models.DateTimeField(default=timezone.now)
    carrier = models.CharField(_("carrier"), max_length=40, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("order")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("store:order", args=[self.number])


class OrderLine(models.Model):
    """A tracker is one line per unit: each has its own device and pairing code."""

    order = models.ForeignKey(Order, models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, models.SET_NULL, null=True, related_name="+")
    product_name = models.CharField(max_length=80)
    unit_price = models.DecimalField(max_digits=9, decimal_places=2)
    quantity = models.PositiveSmallIntegerField()
    # This line's share of the order's discounts: a refund of the line gives back the rest.
    discount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    refunded = models.BooleanField(_("refunded"), default=False)
    device = models.OneToOneField(
        "tracker.Device", models.SET_NULL, null=True, blank=True, related_name="order_line"
    )
    # Shown to the order's owner only; the Device keeps just its hash.
    pairing_code = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_name}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def paid_total(self) -> Decimal:
        return self.line_total - self.discount


class OrderEvent(models.Model):
    """The timeline: one row per status the order reached."""

    order = models.ForeignKey(Order, models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Status.choices)
    note = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.status}"


class OrderEmail(models.Model):
    """One row per e-mail sent: the unique key makes each kind go out at most once.

    The key is the kind, or the kind and a date for the delivery reminder, so a new
    delivery date gets its own reminder.
    """

    order = models.ForeignKey(Order, models.CASCADE, related_name="emails")
    key = models.CharField(max_length=40)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "key"], name="one_email_per_key")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.key}"
