"""Removed from the wrist, fall, and the optional overspeed."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from carewatch.kids.tracking import ALARM_FALL, ALARM_REMOVED, DEFAULT_CONFIG, EventKind

from .helpers import T0, Child, fix, near_home

HOME = near_home(0.0)
REMOVED = frozenset({ALARM_REMOVED})
FALL = frozenset({ALARM_FALL})


def test_it_tells_once_while_the_watch_stays_off_the_wrist() -> None:
    child = Child()
    child.stays(0, 600, HOME, alarms=REMOVED)  # the status bit stays set
    assert child.kinds() == [EventKind.REMOVED]


def test_it_tells_again_when_taken_off_after_being_worn_a_while() -> None:
    child = Child()
    child.stays(0, 60, HOME, alarms=REMOVED)
    child.stays(70, 600, HOME)
    child.stays(610, 700, HOME, alarms=REMOVED)
    assert child.kinds() == [EventKind.REMOVED, EventKind.REMOVED]


def test_it_does_not_repeat_a_removal_within_five_minutes() -> None:
    child = Child()
    child.at(0, HOME, alarms=REMOVED)
    child.at(10, HOME)
    child.at(20, HOME, alarms=REMOVED)  # the strap catches: on, off again
    assert child.kinds() == [EventKind.REMOVED]


def test_it_tells_a_fall_at_once_and_once_a_minute() -> None:
    child = Child()
    child.at(0, HOME, alarms=FALL)
    child.at(10, HOME, alarms=FALL)
    child.at(70, HOME, alarms=FALL)
    assert child.kinds() == [EventKind.FALL, EventKind.FALL]


def test_it_tells_overspeed_only_when_configured_and_once_per_stretch() -> None:
    assert Child().stays(0, 300, HOME, speed_kmh=120.0) == []
    config = dataclasses.replace(DEFAULT_CONFIG, overspeed_kmh=80.0)
    child = Child(config=config)
    child.stays(0, 300, HOME, speed_kmh=120.0)
    child.stays(310, 400, HOME, speed_kmh=75.0)  # not far enough below to reset
    child.stays(410, 500, HOME, speed_kmh=100.0)
    child.stays(510, 600, HOME, speed_kmh=30.0)
    child.stays(610, 700, HOME, speed_kmh=100.0)
    assert child.kinds() == [EventKind.OVERSPEED, EventKind.OVERSPEED]
    assert child.events[0].details == {"speed_kmh": 120.0, "limit_kmh": 80.0}


def test_it_tells_a_watch_still_off_the_wrist_after_a_buffered_burst() -> None:
    child = Child()
    burst = [fix(60 * k, HOME, alarms=REMOVED) for k in range(30)]
    assert child.send(burst, now=T0 + timedelta(hours=1)) == []  # taken off long ago
    events = child.send([fix(3590, HOME, alarms=REMOVED)], now=T0 + timedelta(hours=1))
    assert [e.kind for e in events] == [EventKind.REMOVED]
