"""Entering and leaving a place: only clear fixes count, and a change must be confirmed."""

from __future__ import annotations

import dataclasses

from carewatch.kids.tracking import DEFAULT_CONFIG, EventKind, Presence

from .helpers import HOME, Child, near_home

INSIDE = near_home(0.0)
OUTSIDE = near_home(400.0)


def settled_at_home() -> Child:
    child = Child()
    child.stays(0, 200, INSIDE)
    assert child.state.places[HOME.id].presence is Presence.INSIDE
    assert child.events == []
    return child


def test_it_tells_when_the_child_leaves_after_two_minutes_of_clear_fixes() -> None:
    child = settled_at_home()
    assert child.stays(300, 410, OUTSIDE) == []  # 110 s: not yet confirmed
    events = child.at(420, OUTSIDE)
    assert [e.kind for e in events] == [EventKind.PLACE_EXIT]
    exit_ = events[0]
    assert exit_.place_id == HOME.id
    assert exit_.time == child.updates[-1].positions[0].fix.fix_time
    assert exit_.details["place"] == "Home"
    assert exit_.details["since"].startswith("2026-11-23T08:05:00")
    assert not exit_.delayed


def test_it_tells_when_the_child_comes_back() -> None:
    child = settled_at_home()
    child.stays(300, 500, OUTSIDE)
    child.stays(600, 800, INSIDE)
    assert child.kinds() == [EventKind.PLACE_EXIT, EventKind.PLACE_ENTER]


def test_it_ignores_one_wild_fix_outside() -> None:
    child = settled_at_home()
    child.at(300, OUTSIDE)
    child.stays(310, 1000, INSIDE)
    assert child.events == []


def test_it_starts_again_when_a_fix_is_not_clear() -> None:
    child = settled_at_home()
    child.stays(300, 380, OUTSIDE)
    child.at(390, near_home(160.0), accuracy=30.0)  # 10 m out, 30 m accuracy: not clear
    assert child.stays(400, 510, OUTSIDE) == []
    assert [e.kind for e in child.at(520, OUTSIDE)] == [EventKind.PLACE_EXIT]


def test_it_needs_the_accuracy_as_margin_not_just_25_m() -> None:
    child = settled_at_home()
    # 60 m beyond the edge, but the fixes say +-80 m: never clear
    child.stays(300, 2000, near_home(210.0), accuracy=80.0)
    assert child.events == []
    assert child.state.places[HOME.id].presence is Presence.INSIDE


def test_it_treats_a_fix_without_accuracy_as_50_m() -> None:
    child = settled_at_home()
    child.stays(300, 1000, near_home(190.0), accuracy=None)  # 40 m out: within the margin
    assert child.events == []
    child.stays(1010, 1200, near_home(220.0), accuracy=None)  # 70 m out: clear
    assert child.kinds() == [EventKind.PLACE_EXIT]


def test_it_follows_the_configured_dwell_and_count() -> None:
    config = dataclasses.replace(DEFAULT_CONFIG, confirm_fixes=3, confirm_s=0)
    child = Child(config=config)
    child.stays(0, 30, INSIDE)
    child.at(100, OUTSIDE)
    child.at(101, OUTSIDE)
    assert child.events == []
    assert [e.kind for e in child.at(102, OUTSIDE)] == [EventKind.PLACE_EXIT]


def test_it_confirms_a_watch_that_reports_every_five_minutes_on_its_second_fix() -> None:
    child = Child()
    child.stays(0, 600, INSIDE, every=300)
    child.at(900, OUTSIDE)
    assert [e.kind for e in child.at(1200, OUTSIDE)] == [EventKind.PLACE_EXIT]
