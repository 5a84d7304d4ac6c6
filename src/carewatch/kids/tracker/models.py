from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carewatch.kids.tracking import DeviceStatus, EventKind, PlaceKind
from carewatch.platform.accounts.models import Family, User

# The vocabularies are the tracking core's enums; these are their words, the one place they
# are written. labelled() refuses to start when a member has no label, so the core and the
# database choices cannot drift apart.
DEVICE_STATUS_LABELS = {
    DeviceStatus.ONLINE: _("Online"),
    DeviceStatus.OFFLINE: _("Offline"),
    DeviceStatus.UNKNOWN: _("Not seen yet"),
}
PLACE_KIND_LABELS = {
    PlaceKind.HOME: _("Home"),
    PlaceKind.SCHOOL: _("School"),
    PlaceKind.OTHER: _("Other"),
}
EVENT_KIND_LABELS = {
    EventKind.PLACE_ENTER: _("Arrived at a place"),
    EventKind.PLACE_EXIT: _("Left a place"),
    EventKind.SOS: _("SOS"),
    EventKind.LOW_BATTERY: _("Low battery"),
    EventKind.CRITICAL_BATTERY: _("Battery almost empty"),
    EventKind.OFFLINE: _("Offline"),
    EventKind.BACK_ONLINE: _("Back online"),
    EventKind.REMOVED: _("Taken off the wrist"),
    EventKind.FALL: _("Fall"),
    EventKind.OVERSPEED: _("Moving fast"),
}


def labelled(enum: type[StrEnum], labels: Mapping[Any, str | Promise]) -> list[tuple[str, Any]]:
    """Model choices from a core enum; every member must have its label."""
    missing = [member for member in enum if member not in labels]
    if missing:
        raise ImproperlyConfigured(f"{enum.__name__} members without a label: {missing}")
    return [(str(member), label) for member, label in labels.items()]


class Child(models.Model):
    """Only what the service needs: a name, an optional photo, the birth year."""

    family = models.ForeignKey(Family, models.CASCADE, related_name="children")
    name = models.CharField(_("name"), max_length=60)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="children/", blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "children"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Protocol(models.TextChoices):
    WATCH = "watch", _("Smartwatch (TCP)")
    OSMAND = "osmand", _("OsmAnd / Traccar Client")
    OWNTRACKS = "owntracks", _("OwnTracks")


def hash_pairing_code(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


class Device(models.Model):
    """A tracker. It exists before pairing (made when it is sold); pairing gives it a family."""

    identifier = models.CharField(_("device number (IMEI)"), max_length=32, unique=True)
    protocol = models.CharField(max_length=16, choices=Protocol.choices, default=Protocol.WATCH)
    name = models.CharField(_("name"), max_length=60, blank=True)
    family = models.ForeignKey(
        Family, models.SET_NULL, null=True, blank=True, related_name="devices"
    )
    child = models.ForeignKey(Child, models.SET_NULL, null=True, blank=True, related_name="devices")
    pairing_code_hash = models.CharField(max_length=64, blank=True)
    paired_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=8,
        choices=labelled(DeviceStatus, DEVICE_STATUS_LABELS),
        default=DeviceStatus.UNKNOWN,
    )
    last_seen = models.DateTimeField(null=True, blank=True)
    last_fix_time = models.DateTimeField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    accuracy = models.FloatField(null=True, blank=True)
    battery = models.PositiveSmallIntegerField(null=True, blank=True)
    # Everything the rules remember between batches (carewatch.kids.tracking.DeviceState).
    state = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name or self.identifier

    def set_pairing_code(self, code: str) -> None:
        self.pairing_code_hash = hash_pairing_code(code)

    def pairing_code_matches(self, code: str) -> bool:
        return bool(self.pairing_code_hash) and hmac.compare_digest(
            self.pairing_code_hash, hash_pairing_code(code)
        )


class Position(models.Model):
    # No index of its own: the unique (device, fix_time) one serves every lookup by device,
    # and each index is written with every one of tens of thousands of rows a second.
    device = models.ForeignKey(Device, models.CASCADE, related_name="positions", db_index=False)
    fix_time = models.DateTimeField()
    server_time = models.DateTimeField(default=timezone.now)
    lat = models.FloatField()
    lon = models.FloatField()
    accuracy = models.FloatField(null=True, blank=True)
    speed = models.FloatField(null=True, blank=True)
    course = models.FloatField(null=True, blank=True)
    altitude = models.FloatField(null=True, blank=True)
    battery = models.PositiveSmallIntegerField(null=True, blank=True)
    valid = models.BooleanField(default=True)
    late = models.BooleanField(default=False)
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "fix_time"], name="one_position_per_fix")
        ]
        indexes = [models.Index(fields=["server_time"], name="position_server_time")]

    def __str__(self) -> str:
        return f"{self.device} at {self.fix_time:%Y-%m-%d %H:%M:%S}"


# What a family says about a place: the editing form and the family's data export both
# use this list.
PLACE_FIELDS = [
    "name",
    "kind",
    "lat",
    "lon",
    "radius_m",
    "polygon",
    "active_days",
    "active_from",
    "active_until",
]


class Place(models.Model):
    """A safe place: a circle (centre and radius) or a polygon, optionally with active hours."""

    family = models.ForeignKey(Family, models.CASCADE, related_name="places")
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(
        _("kind"),
        max_length=8,
        choices=labelled(PlaceKind, PLACE_KIND_LABELS),
        default=PlaceKind.OTHER,
    )
    lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    radius_m = models.FloatField(_("radius in metres"), null=True, blank=True)
    polygon = models.JSONField(_("polygon"), default=list, blank=True)  # [[lat, lon], ...]
    active_days = models.JSONField(_("active days"), default=list, blank=True)  # 0 = Monday
    active_from = models.TimeField(_("active from"), null=True, blank=True)
    active_until = models.TimeField(_("active until"), null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_circle(self) -> bool:
        return not self.polygon


class Event(models.Model):
    device = models.ForeignKey(Device, models.CASCADE, related_name="events")
    family = models.ForeignKey(Family, models.CASCADE, related_name="tracker_events")
    child = models.ForeignKey(Child, models.SET_NULL, null=True, blank=True, related_name="events")
    kind = models.CharField(max_length=20, choices=labelled(EventKind, EVENT_KIND_LABELS))
    time = models.DateTimeField()
    server_time = models.DateTimeField(default=timezone.now)
    place = models.ForeignKey(Place, models.SET_NULL, null=True, blank=True, related_name="events")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    delayed = models.BooleanField(default=False)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-time"]
        indexes = [models.Index(fields=["family", "-time"], name="event_family_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.device}"

    @property
    def no_fix(self) -> bool:
        """An alarm that came without GPS: lat/lon are the last known position."""
        return bool(self.details.get("no_fix"))

    def position_age_minutes(self) -> int | None:
        """How old that last known position was (None: a real fix, or no position known)."""
        known = self.details.get("position_time") if self.no_fix else None
        if not known:
            return None
        try:
            age = self.time - datetime.fromisoformat(known)
        except (TypeError, ValueError):
            return None
        return max(0, int(age.total_seconds() // 60))


class AlertSetting(models.Model):
    """One guardian's choices for one family: which events, which channels, quiet hours."""

    user = models.ForeignKey(User, models.CASCADE, related_name="alert_settings")
    family = models.ForeignKey(Family, models.CASCADE, related_name="alert_settings")
    kinds = models.JSONField(default=list, blank=True)  # empty = every kind
    channel_kinds = models.JSONField(default=list, blank=True)  # empty = every channel
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "family"], name="one_alert_setting_per_family")
        ]

    def __str__(self) -> str:
        return f"Alerts of {self.user} for {self.family}"


class TrackerSettings(models.Model):
    """Per-family choices that are not per guardian."""

    family = models.OneToOneField(Family, models.CASCADE, related_name="tracker_settings")
    retention_days = models.PositiveSmallIntegerField(
        _("keep location history for (days)"), default=90
    )

    def __str__(self) -> str:
        return f"Tracker settings of {self.family}"
