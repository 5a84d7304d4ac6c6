"""A centre's public details and opening hours, and the appointments patients book."""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carewatch.eyes.booking import slots
from carewatch.eyes.screening.models import Patient
from carewatch.platform.accounts.models import Clinic

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Centre(models.Model):
    """A screening centre's public booking profile (one per Clinic, the centre itself):
    what the public sees of it, and how its appointments are cut."""

    clinic = models.OneToOneField(Clinic, models.CASCADE, related_name="centre")
    public = models.BooleanField(_("shown in the public centre finder"), default=False)
    address = models.TextField(_("address"))
    city = models.CharField(_("city"), max_length=80)
    pincode = models.CharField(
        _("PIN code"),
        max_length=6,
        validators=[
            RegexValidator(r"^[1-9][0-9]{5}$", _("Enter the six-digit PIN code, e.g. 600002."))
        ],
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    price_rupees = models.PositiveIntegerField(
        _("price in rupees"), default=0, help_text=_("0 means free.")
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length in minutes"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    per_slot = models.PositiveSmallIntegerField(
        _("patients per slot"), default=2, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    directions = models.TextField(
        _("directions and what to bring"),
        blank=True,
        help_text=_("Shown on the centre page and in the booking messages."),
    )
    referral_language = models.CharField(
        _("language of referral letters"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the eye department you refer patients to reads."),
    )

    class Meta:
        ordering = ["city", "clinic__name"]

    def __str__(self) -> str:
        return self.clinic.name

    def get_absolute_url(self) -> str:
        return reverse("booking:centre", args=[self.clinic.slug])

    def plan(self) -> slots.Plan:
        hours = {row.weekday: (row.opens, row.closes) for row in self.hours.all()}
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        return slots.Plan(hours, self.slot_minutes, self.per_slot, tz)

    def taken(self, start: datetime, end: datetime) -> dict[datetime, int]:
        """Places held per slot start between start and end (walk-ins hold none)."""
        rows = (
            self.bookings.holding_places()
            .filter(start__gte=start, start__lt=end)
            .values("start")
            .annotate(n=Count("id"))
        )
        return {row["start"]: row["n"] for row in rows}

    def free_slots(self, now: datetime) -> list[slots.Slot]:
        plan = self.plan()
        return slots.free_slots(plan, now, self.taken(*slots.window(plan, now)))


class OpeningHours(models.Model):
    """One row per open weekday; a weekday without a row is a closed day."""

    centre = models.ForeignKey(Centre, models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.UniqueConstraint(fields=["centre", "weekday"], name="one_row_per_weekday"),
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="opens_first"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Status(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ARRIVED = "arrived", _("Arrived")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


REFERENCE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_LETTERS) for _ in range(8))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class BookingQuerySet(models.QuerySet["Booking"]):
    def holding_places(self) -> BookingQuerySet:
        return self.filter(seat__isnull=False).exclude(status=Status.CANCELLED)


class Booking(models.Model):
    """An appointment, or a walk-in recorded at the desk (no seat, arrived on arrival).

    Each booked patient holds one numbered seat of the slot; the database refuses a
    second live booking of the same seat, so a slot never takes more than its capacity
    even when two people book its last place at the same instant."""

    centre = models.ForeignKey(Centre, models.CASCADE, related_name="bookings")
    start = models.DateTimeField(_("time"), db_index=True)
    seat = models.PositiveSmallIntegerField(null=True, blank=True)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    name = models.CharField(_("name"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"))
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(
        _("language for messages"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    patient = models.ForeignKey(
        Patient, models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    created = models.DateTimeField(default=timezone.now)
    arrived_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when the patient confirms through their private link; reminders wait for it.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The start the reminder went out for: a moved booking gets a reminder for its new time.
    reminded_for = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "start", "seat"],
                condition=~Q(status=Status.CANCELLED),
                name="one_live_booking_per_seat",
            ),
            models.CheckConstraint(
                condition=Q(seat__isnull=True) | Q(seat__gte=1), name="seats_count_from_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name} at {self.start}"

    def get_absolute_url(self) -> str:
        return reverse("booking:private", args=[self.token])
