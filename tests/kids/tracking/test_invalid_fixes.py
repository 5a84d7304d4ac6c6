"""0,0 and invalid fixes never move the child nor drive places; their battery and alarms count."""

from __future__ import annotations

from carewatch.kids.tracking import ALARM_SOS, EventKind, Fix, Presence

from .helpers import HOME, T0, Child, fix, near_home


def settled_at_home() -> Child:
    child = Child([HOME])
    child.stays(0, 300, near_home(0.0))
    return child


def test_it_never_moves_the_child_to_null_island() -> None:
    child = settled_at_home()
    child.stays(310, 1000, (0.0, 0.0))  # a watch without a fix, saying "valid"
    assert (child.state.lat, child.state.lon) == near_home(0.0)
    assert child.events == []
    assert child.state.places[HOME.id].presence is Presence.INSIDE


def test_it_never_moves_the_child_with_an_invalid_fix() -> None:
    child = settled_at_home()
    child.stays(310, 1000, near_home(5000.0), valid=False)  # a stale "V" position
    assert (child.state.lat, child.state.lon) == near_home(0.0)
    assert child.state.position_time == T0.replace(minute=5)
    assert child.events == []


def test_it_stores_them_in_history_as_not_located() -> None:
    child = settled_at_home()
    child.send([fix(310, (0.0, 0.0)), fix(320, near_home(0.0), valid=False)])
    assert [p.located for p in child.updates[-1].positions] == [False, False]
    assert child.state.last_fix_time == T0.replace(minute=5, second=20)


def test_it_counts_their_battery_and_alarms() -> None:
    child = settled_at_home()
    events = child.at(310, (0.0, 0.0), valid=False, battery=9, alarms=frozenset({ALARM_SOS}))
    assert sorted(e.kind for e in events) == [EventKind.CRITICAL_BATTERY, EventKind.SOS]


def test_it_treats_coordinates_out_of_range_as_no_fix() -> None:
    assert not Fix("w", T0, 91.0, 10.0).located
    assert not Fix("w", T0, 10.0, 181.0).located
    assert Fix("w", T0, 0.0, 10.0).located  # on the equator is a place
