"""Active hours: outside them a place is followed but nobody is told."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time

from carewatch.kids.tracking import ActiveHours, EventKind, Presence

from .helpers import SCHOOL, Child, at_school, near_home

SCHOOL_DAYS = ActiveHours(frozenset(range(5)), time(8, 0), time(15, 0), "Europe/Berlin")
SCHOOL_HOURS = dataclasses.replace(SCHOOL, active_hours=SCHOOL_DAYS)
# T0 is Monday 08:00 UTC, 09:00 in Berlin
IN_CLASS = at_school(100.0, 150.0)
AWAY = near_home(0.0)


def test_it_tells_a_school_day_exit_within_the_hours() -> None:
    child = Child([SCHOOL_HOURS])
    child.stays(0, 300, IN_CLASS)
    child.stays(400, 600, AWAY)
    assert child.kinds() == [EventKind.PLACE_EXIT]


def test_it_follows_but_does_not_tell_after_the_hours() -> None:
    child = Child([SCHOOL_HOURS])
    child.stays(0, 300, IN_CLASS)
    six_hours = 6 * 3600  # 15:00 in Berlin
    child.stays(six_hours, six_hours + 300, AWAY)
    assert child.events == []
    assert child.state.places[SCHOOL.id].presence is Presence.OUTSIDE


def test_it_knows_weekends_and_time_zones() -> None:
    assert SCHOOL_DAYS.contains(datetime(2026, 11, 23, 7, 30, tzinfo=UTC))  # Mon 08:30 Berlin
    assert not SCHOOL_DAYS.contains(datetime(2026, 11, 23, 6, 59, tzinfo=UTC))  # 07:59
    assert not SCHOOL_DAYS.contains(datetime(2026, 11, 23, 14, 0, tzinfo=UTC))  # 15:00
    assert not SCHOOL_DAYS.contains(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))  # Saturday


def test_it_handles_hours_across_midnight() -> None:
    nights = ActiveHours(frozenset({4}), time(22, 0), time(6, 0), "UTC")  # Friday night
    assert nights.contains(datetime(2026, 11, 27, 23, 0, tzinfo=UTC))  # Friday 23:00
    assert nights.contains(datetime(2026, 11, 28, 5, 0, tzinfo=UTC))  # Saturday 05:00
    assert not nights.contains(datetime(2026, 11, 28, 23, 0, tzinfo=UTC))  # Saturday 23:00
    assert not nights.contains(datetime(2026, 11, 27, 5, 0, tzinfo=UTC))  # Friday 05:00
