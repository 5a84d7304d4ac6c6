"""Who asked for new-product e-mails, and which product each was told about.

A Subscriber is an e-mail address (a guest buyer has no account), confirmed by a link
(double opt-in) before anything is sent. A ProductMail row is written in the same
transaction as the message's Notification row, and its unique (product, subscriber) pair
is what makes each person hear about each product once, however often the task runs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.catalogue.models import Product


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the confirmation link")
    CONFIRMED = "confirmed", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail"), unique=True)  # stored in lower case
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="store_subscriptions",
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=12, choices=SubscriberStatus.choices, default="pending"
    )
    created = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("new-product subscriber")
        indexes = [models.Index(fields=["status", "id"], name="mailing_subscriber_status")]

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"

    @property
    def mail_language(self) -> str:
        """The account's language of today when there is one, else the one asked in."""
        return (self.user.language if self.user_id and self.user else "") or self.language

    @property
    def is_confirmed(self) -> bool:
        return self.status == SubscriberStatus.CONFIRMED


class ProductMail(models.Model):
    product = models.ForeignKey(Product, models.CASCADE, related_name="+")
    subscriber = models.ForeignKey(Subscriber, models.CASCADE, related_name="mails")
    notification = models.ForeignKey(
        "notify.Notification", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("new-product e-mail")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "subscriber"], name="one_mail_per_product_and_subscriber"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_id} -> {self.subscriber_id}"
