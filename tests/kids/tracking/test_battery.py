"""Low and critical battery from the server's thresholds, once per discharge."""

from __future__ import annotations

import dataclasses

import pytest

from carewatch.kids.tracking import DEFAULT_CONFIG, EventKind

from .helpers import Child, near_home

HOME = near_home(0.0)


def discharge(child: Child, start: float, levels: range) -> list[EventKind]:
    kinds = []
    for k, level in enumerate(levels):
        kinds += [e.kind for e in child.at(start + 60 * k, HOME, battery=level)]
    return kinds


def test_it_tells_low_then_critical_once_each_per_discharge() -> None:
    child = Child()
    kinds = discharge(child, 0, range(40, 0, -1))
    assert kinds == [EventKind.LOW_BATTERY, EventKind.CRITICAL_BATTERY]
    low, critical = child.events
    assert low.details == {"battery": 20}
    assert critical.details == {"battery": 10}


def test_it_does_not_tell_again_when_the_level_wobbles() -> None:
    child = Child()
    discharge(child, 0, range(25, 17, -1))
    assert discharge(child, 600, range(19, 24)) == []  # charger plugged in briefly
    assert discharge(child, 1000, range(24, 11, -1)) == []


def test_it_tells_again_after_a_recharge() -> None:
    child = Child()
    discharge(child, 0, range(25, 5, -1))
    discharge(child, 2000, range(5, 100, 5))  # charged to 95 %
    kinds = discharge(child, 10_000, range(40, 0, -1))
    assert kinds == [EventKind.LOW_BATTERY, EventKind.CRITICAL_BATTERY]


def test_it_needs_the_level_above_the_recharge_threshold_for_a_new_discharge() -> None:
    child = Child()
    discharge(child, 0, range(21, 15, -1))
    discharge(child, 600, range(16, 31))  # up to 30 %: not above it
    assert discharge(child, 2000, range(30, 15, -1)) == []
    discharge(child, 3000, range(16, 32))  # 31 %
    assert discharge(child, 4000, range(31, 15, -1)) == [EventKind.LOW_BATTERY]


def test_it_tells_only_critical_when_the_first_level_seen_is_critical() -> None:
    child = Child()
    assert discharge(child, 0, range(8, 3, -1)) == [EventKind.CRITICAL_BATTERY]


def test_it_counts_the_battery_of_an_invalid_fix() -> None:
    child = Child()
    events = child.at(0, (0.0, 0.0), valid=False, battery=15)
    assert [e.kind for e in events] == [EventKind.LOW_BATTERY]
    assert child.state.battery == 15


def test_it_follows_configured_thresholds() -> None:
    config = dataclasses.replace(
        DEFAULT_CONFIG, low_battery=50, critical_battery=25, recharge_above=60
    )
    child = Child(config=config)
    kinds = discharge(child, 0, range(60, 20, -1))
    assert kinds == [EventKind.LOW_BATTERY, EventKind.CRITICAL_BATTERY]
    assert [e.details["battery"] for e in child.events] == [50, 25]


def test_it_refuses_thresholds_that_would_never_alert() -> None:
    with pytest.raises(ValueError, match="recharge"):
        dataclasses.replace(DEFAULT_CONFIG, low_battery=50)
