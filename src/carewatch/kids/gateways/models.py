from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carewatch.kids.gateways.commands import CommandKind as Kind
from carewatch.kids.tracker.models import Device


class CommandKind(models.TextChoices):
    LOCATE = Kind.LOCATE.value, _("Locate now")
    INTERVAL = Kind.INTERVAL.value, _("Reporting interval")
    SOS_NUMBER = Kind.SOS_NUMBER.value, _("SOS number")
    SILENCE = Kind.SILENCE.value, _("School-time silence")
    LANGUAGE = Kind.LANGUAGE.value, _("Language and time zone")
    FIND = Kind.FIND.value, _("Find the watch (it rings)")
    POWER_OFF = Kind.POWER_OFF.value, _("Power off")
    RESET = Kind.RESET.value, _("Restart the watch")


class CommandStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the watch to connect")
    SENT = "sent", _("Sent, waiting for the watch’s answer")
    ANSWERED = "answered", _("Done: the watch answered")
    EXPIRED = "expired", _("Expired: the watch did not connect in time")


class Command(models.Model):
    """A command for a watch: queued, sent while the watch is connected, answered or expired."""

    device = models.ForeignKey(Device, models.CASCADE, related_name="commands")
    kind = models.CharField(max_length=16, choices=CommandKind.choices)
    text = models.CharField(max_length=200)  # as sent, e.g. "UPLOAD,300"
    status = models.CharField(
        max_length=8, choices=CommandStatus.choices, default=CommandStatus.QUEUED
    )
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "device"], name="command_status_device")]

    def __str__(self) -> str:
        return f"{self.text} → {self.device} ({self.status})"

    @property
    def shown_status(self) -> str:
        """A queued command past its time reads as expired even before a gateway says so."""
        if self.status == CommandStatus.QUEUED and self.expires_at <= timezone.now():
            return CommandStatus.EXPIRED.value
        return self.status

    def get_shown_status_display(self) -> str:
        return str(CommandStatus(self.shown_status).label)


def hash_secret(secret: str) -> str:
    # The secret is random (128 bits), so a fast hash is enough and keeps every
    # OwnTracks request cheap; a slow password hash would cost more than the position.
    return hashlib.sha256(secret.encode()).hexdigest()


class DeviceSecret(models.Model):
    """The password a phone app (OwnTracks) sends with Basic auth; only its hash is kept."""

    device = models.OneToOneField(Device, models.CASCADE, related_name="secret")
    secret_hash = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Secret of {self.device}"

    @classmethod
    def make(cls, device: Device) -> str:
        """A new password for the device (any old one stops working); returns it once."""
        secret = secrets.token_urlsafe(16)
        cls.objects.update_or_create(
            device=device, defaults={"secret_hash": hash_secret(secret), "created": timezone.now()}
        )
        return secret

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, hash_secret(secret))
