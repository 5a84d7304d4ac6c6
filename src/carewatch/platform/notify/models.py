"""Channels (where a user is told), Notifications (what was told) and Attempts.

A Notification row is written before anything is sent and every Attempt is
recorded, so together they are the audit trail of what each person was told,
when, through which channel, and what went wrong. A row goes either to a
user's Channel or to a contact without an account (`kind` + `address`: a
patient's phone, a guest buyer's e-mail); `topic` names what it is about
("screening.patient:12") so staff pages can show whether the person was told.
"""

from __future__ import annotations

import uuid
from urllib.parse import urljoin

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carewatch.platform.notify.transports import KIND_CHOICES, TRANSPORTS
from carewatch.platform.notify.transports.base import Transport


class Channel(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notify_channels"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=KIND_CHOICES)
    name = models.CharField(_("name"), max_length=100, blank=True)
    value = models.JSONField(_("settings"), default=dict, blank=True)
    # E-mail to an address the owner has not proven is theirs waits for a confirmation link,
    # so nobody can use CareWatch to send mail to someone else.
    verified = models.BooleanField(_("confirmed"), default=True)
    disabled = models.BooleanField(_("disabled"), default=False)
    disabled_reason = models.TextField(_("why it was disabled"), blank=True)
    created = models.DateTimeField(default=timezone.now)
    last_notified = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("channel")

    def __str__(self) -> str:
        return self.name or self.transport.describe()

    @property
    def transport(self) -> Transport:
        return TRANSPORTS[self.kind](self)

    @property
    def kind_label(self) -> str:
        return str(TRANSPORTS[self.kind].label)

    @property
    def is_inbox(self) -> bool:
        return self.kind == "inbox"

    def disable(self, reason: str) -> None:
        self.disabled, self.disabled_reason = True, reason
        self.save(update_fields=["disabled", "disabled_reason"])

    def enable(self) -> None:
        self.disabled, self.disabled_reason = False, ""
        self.save(update_fields=["disabled", "disabled_reason"])


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Will try again")
    FAILED = "failed", _("Failed")


# The Channel.value key that holds the address, for the kinds a contact can be reached by.
CONTACT_KINDS = {"email": "email", "sms": "phone"}


class Notification(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.ForeignKey(
        Channel, models.CASCADE, related_name="notifications", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=16, choices=KIND_CHOICES, blank=True)
    # Set instead of `channel` for a contact without an account.
    address = models.CharField(_("sent to"), max_length=254, blank=True)
    topic = models.CharField(_("about"), max_length=64, blank=True, db_index=True)
    # Dotted path of a function that builds subject and text when sending, so that
    # secrets (one-time codes, link tokens) are made then and never stored here.
    compose = models.CharField(max_length=200, blank=True)
    event = models.CharField(_("event"), max_length=64, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    html = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    # Extra e-mail headers ({"List-Unsubscribe": "<https://...>"}); a composer may add more
    # when sending (those are not stored: they may carry a link token).
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the next attempt is due (while sending: when the sender's claim lapses).
    next_try = models.DateTimeField(null=True, blank=True, default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["channel", "read_at"], name="notify_unread"),
            models.Index(fields=["status", "next_try"], name="notify_due"),
        ]

    def __str__(self) -> str:
        return self.subject

    def absolute_url(self) -> str:
        """The link as it must appear outside the site (e-mail, SMS, push, webhook)."""
        return urljoin(settings.SITE_URL + "/", self.url) if self.url else ""

    @property
    def transport(self) -> Transport:
        if self.channel is not None:
            return self.channel.transport
        # A contact is reached like an unsaved channel of the same kind, owned by nobody.
        value = {CONTACT_KINDS[self.kind]: self.address}
        return TRANSPORTS[self.kind](Channel(kind=self.kind, value=value))

    def recipient(self) -> str:
        """Where it went, for staff lists."""
        return self.address or (str(self.channel) if self.channel is not None else "")


class Attempt(models.Model):
    notification = models.ForeignKey(Notification, models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    started = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    permanent = models.BooleanField(default=False)

    class Meta:
        ordering = ["notification", "number"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "number"], name="one_attempt_number")
        ]

    def __str__(self) -> str:
        return f"#{self.number} {'ok' if self.ok else self.error[:40]}"

    def finish(self, error: str = "", *, permanent: bool = False) -> None:
        self.finished, self.ok = timezone.now(), not error
        self.error, self.permanent = error, permanent
        self.save()
