"""Slots from opening hours: pure Python, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from carewatch.eyes.booking.slots import (
    Plan,
    Problem,
    by_day,
    free_slots,
    parse_start,
    problem,
    starts_on,
)

KOLKATA = ZoneInfo("Asia/Kolkata")
MONDAY = date(2026, 11, 23)
# Monday to Friday 9:00-11:00, Saturday 9:00-10:00, closed on Sunday.
HOURS = {d: (time(9), time(11)) for d in range(5)} | {5: (time(9), time(10))}
PLAN = Plan(HOURS, minutes=30, capacity=2, tz=KOLKATA)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=KOLKATA)


def test_it_cuts_the_day_into_slots_that_end_by_closing_time() -> None:
    plan = Plan(HOURS, minutes=45, capacity=1, tz=KOLKATA)
    assert starts_on(plan, MONDAY) == [at(MONDAY, 9), at(MONDAY, 9, 45)]


def test_it_has_no_slots_on_a_closed_day() -> None:
    assert starts_on(PLAN, MONDAY + timedelta(days=6)) == []


def test_it_offers_only_times_still_to_come_today() -> None:
    now = at(MONDAY, 9, 40)
    today = [s.start for s in free_slots(PLAN, now, {}) if s.start.date() == MONDAY]
    assert today == [at(MONDAY, 10), at(MONDAY, 10, 30)]


def test_it_leaves_out_full_slots_and_counts_the_places_left() -> None:
    now = at(MONDAY, 8)
    taken = {at(MONDAY, 9): 2, at(MONDAY, 9, 30): 1}
    monday = [(s.start, s.free) for s in free_slots(PLAN, now, taken)[:3]]
    assert monday == [(at(MONDAY, 9, 30), 1), (at(MONDAY, 10), 2), (at(MONDAY, 10, 30), 2)]


def test_it_matches_bookings_stored_in_utc_to_local_slots() -> None:
    taken = {at(MONDAY, 9).astimezone(UTC): 2}
    starts = [s.start for s in free_slots(PLAN, at(MONDAY, 8), taken)]
    assert at(MONDAY, 9) not in starts


def test_it_covers_fourteen_days_and_skips_sundays() -> None:
    days = [day for day, _slots in by_day(free_slots(PLAN, at(MONDAY, 8), {}))]
    assert days[0] == MONDAY
    assert days[-1] == MONDAY + timedelta(days=12)  # day 13 is the second Sunday
    assert MONDAY + timedelta(days=6) not in days
    assert len(days) == 12


def test_it_uses_the_centres_clock_not_utc_for_today() -> None:
    # 20:00 UTC on Monday is 01:30 on Tuesday in Kolkata: Monday is over there.
    now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    first = free_slots(PLAN, now, {})[0]
    assert first.start == at(MONDAY + timedelta(days=1), 9)


def test_it_accepts_a_free_slot() -> None:
    assert problem(PLAN, at(MONDAY, 8), at(MONDAY, 10), taken=1) is None


def test_it_refuses_a_time_that_has_passed() -> None:
    assert problem(PLAN, at(MONDAY, 10, 5), at(MONDAY, 10), taken=0) is Problem.PAST


def test_it_refuses_a_full_slot() -> None:
    assert problem(PLAN, at(MONDAY, 8), at(MONDAY, 10), taken=2) is Problem.FULL


def test_it_refuses_a_closed_day_and_times_outside_the_hours() -> None:
    sunday = MONDAY + timedelta(days=6)
    assert problem(PLAN, at(MONDAY, 8), at(sunday, 10), taken=0) is Problem.CLOSED
    assert problem(PLAN, at(MONDAY, 8), at(MONDAY, 11), taken=0) is Problem.CLOSED
    assert problem(PLAN, at(MONDAY, 8), at(MONDAY, 8, 30), taken=0) is Problem.CLOSED


def test_it_refuses_a_time_between_slot_starts() -> None:
    assert problem(PLAN, at(MONDAY, 8), at(MONDAY, 9, 10), taken=0) is Problem.NOT_A_SLOT


def test_it_refuses_a_day_beyond_the_two_weeks() -> None:
    assert problem(PLAN, at(MONDAY, 8), at(MONDAY + timedelta(days=12), 9), taken=0) is None
    later = MONDAY + timedelta(days=14)
    assert problem(PLAN, at(MONDAY, 8), at(later, 9), taken=0) is Problem.TOO_FAR


def test_it_reads_a_time_without_a_zone_as_the_centres_time() -> None:
    assert parse_start("2026-11-23T10:00", PLAN) == at(MONDAY, 10)
    assert parse_start("2026-11-23T04:30:00+00:00", PLAN) == at(MONDAY, 10)
    assert parse_start("next tuesday", PLAN) is None
