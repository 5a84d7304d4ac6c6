from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    AUTHORIZED = "authorized", _("Authorized")
    CAPTURED = "captured", _("Paid")
    REFUNDED = "refunded", _("Refunded")
    VOIDED = "voided", _("Released")


class Payment(models.Model):
    """One card payment for an order. Only the brand, the last four digits and the
    gateway's token and reference are kept; never the number or the CVC."""

    order = models.ForeignKey("orders.Order", models.PROTECT, related_name="payments")
    gateway = models.CharField(max_length=20)
    reference = models.CharField(max_length=100)
    token = models.CharField(max_length=100, blank=True)
    brand = models.CharField(_("card"), max_length=20)
    last4 = models.CharField(_("last four digits"), max_length=4)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="INR")
    # Given back so far (returned lines); the rest goes back on a full refund.
    refunded = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    status = models.CharField(max_length=12, choices=PaymentStatus.choices)
    idempotency_key = models.CharField(max_length=100, unique=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment")

    def __str__(self) -> str:
        return f"{self.brand} •••• {self.last4}: {self.amount} {self.currency}"


class WebhookEvent(models.Model):
    """A Stripe event we have handled: the unique id makes each one count once (Stripe
    delivers at least once and retries, so the same event may arrive again)."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=60)
    received = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment service event")

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"
