"""The reminder the day before, on a clock (huey autodiscovers this module)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from carewatch.eyes.booking import notices
from carewatch.eyes.booking.models import Booking, Status


def send_reminders(now: dt.datetime) -> int:
    """Reminds each confirmed booking of tomorrow once for its time: running again sends nothing,
    a booking moved to another day is reminded again for the new day."""
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    begin = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(0)))
    due = (
        Booking.objects.filter(
            status=Status.BOOKED, start__gte=begin, start__lt=begin + dt.timedelta(days=1)
        )
        # Unconfirmed: the contact may be a stranger's, typed in by someone else.
        .exclude(confirmed_at=None)
        .exclude(reminded_for=F("start"))
        # Booked today for tomorrow: the confirmation has just said it all.
        .exclude(created__gte=begin - dt.timedelta(days=1))
    )
    sent = 0
    for booking in due.select_related("centre__clinic"):
        with transaction.atomic():
            # The conditional UPDATE is the claim: of two workers, only one gets the row.
            claimed = (
                Booking.objects.filter(pk=booking.pk, status=Status.BOOKED, start=booking.start)
                .exclude(reminded_for=F("start"))
                .update(reminded_for=F("start"))
            )
            if claimed:
                notices.reminder(booking)
                sent += 1
    return sent


@db_periodic_task(crontab(minute="*/15"))
def booking_reminders() -> None:
    send_reminders(timezone.now())
