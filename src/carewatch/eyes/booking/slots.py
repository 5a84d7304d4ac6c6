"""Appointment slots from opening hours, in plain Python (no Django), tested directly.

A centre opens at most once a day; its day is cut into slots of a fixed length, each
taking a fixed number of patients. Everything is computed in the centre's time zone, so
"10:00" means 10:00 on the clock at the desk whatever the server's zone.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import groupby

from carewatch.platform.lib.dates import parse_moment

Hours = Mapping[int, tuple[time, time]]
"""Weekday (0 = Monday) to (opens, closes); a day that is missing is a closed day."""

BOOKING_DAYS = 14


@dataclass(frozen=True)
class Plan:
    hours: Hours
    minutes: int  # slot length
    capacity: int  # patients per slot
    tz: tzinfo


@dataclass(frozen=True)
class Slot:
    start: datetime
    free: int


class Problem(enum.Enum):
    MALFORMED = "malformed"
    PAST = "past"
    TOO_FAR = "too_far"
    CLOSED = "closed"
    NOT_A_SLOT = "not_a_slot"
    FULL = "full"


def starts_on(plan: Plan, day: date) -> list[datetime]:
    """Every slot start of that day; the last slot ends by closing time."""
    hours = plan.hours.get(day.weekday())
    if hours is None or plan.minutes <= 0:
        return []
    start = datetime.combine(day, hours[0], tzinfo=plan.tz)
    end = datetime.combine(day, hours[1], tzinfo=plan.tz)
    step = timedelta(minutes=plan.minutes)
    starts = []
    while start + step <= end:
        starts.append(start)
        start += step
    return starts


def window(plan: Plan, now: datetime, days: int = BOOKING_DAYS) -> tuple[datetime, datetime]:
    """From local midnight today to local midnight after the last bookable day."""
    today = now.astimezone(plan.tz).date()
    first = datetime.combine(today, time(0), tzinfo=plan.tz)
    return first, datetime.combine(today + timedelta(days=days), time(0), tzinfo=plan.tz)


def free_slots(
    plan: Plan, now: datetime, taken: Mapping[datetime, int], days: int = BOOKING_DAYS
) -> list[Slot]:
    """Slots still to come today and on the next days with at least one place left.

    `taken` counts the places already booked per slot start (aware datetimes compare by
    instant, so a UTC key from the database matches a local start)."""
    today = now.astimezone(plan.tz).date()
    slots = []
    for offset in range(days):
        for start in starts_on(plan, today + timedelta(days=offset)):
            free = plan.capacity - taken.get(start, 0)
            if start > now and free > 0:
                slots.append(Slot(start, free))
    return slots


def by_day(slots: list[Slot]) -> list[tuple[date, list[Slot]]]:
    return [(day, list(group)) for day, group in groupby(slots, key=lambda s: s.start.date())]


def parse_start(text: str, plan: Plan) -> datetime | None:
    """An ISO date and time from a form or link; a time without a zone is the centre's."""
    return parse_moment(text, plan.tz)  # None beyond the calendar we compute with


def problem(
    plan: Plan, now: datetime, start: datetime, taken: int, days: int = BOOKING_DAYS
) -> Problem | None:
    """Why this start cannot be booked, or None when it can."""
    if start <= now:
        return Problem.PAST
    local = start.astimezone(plan.tz)
    if local >= window(plan, now, days)[1]:
        return Problem.TOO_FAR
    hours = plan.hours.get(local.date().weekday())
    if hours is None or not hours[0] <= local.time() < hours[1]:
        return Problem.CLOSED
    if local not in starts_on(plan, local.date()):
        return Problem.NOT_A_SLOT
    if taken >= plan.capacity:
        return Problem.FULL
    return None
