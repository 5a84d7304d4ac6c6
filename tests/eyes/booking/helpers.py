"""Centres and bookings for the booking tests: times are relative to the real clock,
in the centre's zone (settings.TIME_ZONE), so every run has future slots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from carewatch.eyes.booking import actions
from carewatch.eyes.booking.models import Booking, Centre, OpeningHours
from carewatch.platform.accounts.models import Clinic


def make_centre(
    clinic: Clinic,
    *,
    public: bool = True,
    per_slot: int = 2,
    closed: tuple[int, ...] = (),
    **fields: Any,
) -> Centre:
    """Open 08:00-20:00 on every weekday not in `closed`, 30-minute slots."""
    values = {"address": "12 Anna Salai", "city": "Chennai", "pincode": "600002"} | fields
    centre = Centre.objects.create(
        clinic=clinic, public=public, per_slot=per_slot, slot_minutes=30, **values
    )
    for weekday in set(range(7)) - set(closed):
        OpeningHours.objects.create(
            centre=centre, weekday=weekday, opens=dt.time(8), closes=dt.time(20)
        )
    return centre


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def in_days(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return local(timezone.localdate() + dt.timedelta(days=days), hour, minute)


def next_weekday(weekday: int) -> dt.date:
    """The next date (tomorrow or later) falling on that weekday."""
    day = timezone.localdate() + dt.timedelta(days=1)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    return day


def form_data(start: dt.datetime | str, **overrides: str) -> dict[str, str]:
    slot = start if isinstance(start, str) else start.isoformat()
    data = {
        "slot": slot,
        "name": "Lakshmi Narayan",
        "date_of_birth": "1961-05-14",
        "phone": "98765 43210",
        "email": "lakshmi@example.org",
        "language": "en",
    }
    return data | overrides


def make_booking(centre: Centre, start: dt.datetime, **fields: Any) -> Booking:
    values = {
        "name": "Lakshmi Narayan",
        "date_of_birth": dt.date(1961, 5, 14),
        "phone": "+919876543210",
        "email": "lakshmi@example.org",
        "language": "en",
    } | fields
    return actions.book(centre, start, actions.Details(**values))
