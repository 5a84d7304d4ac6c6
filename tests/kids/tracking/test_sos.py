"""SOS: told at once, once a minute however often the button is pressed."""

from __future__ import annotations

from datetime import timedelta

from carewatch.kids.tracking import ALARM_SOS, EventKind

from .helpers import T0, Child, fix, near_home

SOS = frozenset({ALARM_SOS})


def test_it_tells_an_sos_at_once_with_where_the_child_is() -> None:
    child = Child()
    events = child.at(0, near_home(20.0), alarms=SOS)
    assert [e.kind for e in events] == [EventKind.SOS]
    assert events[0].time == T0
    assert (events[0].lat, events[0].lon) == near_home(20.0)
    assert not events[0].delayed


def test_it_tells_repeats_within_a_minute_once_and_changes_nothing() -> None:
    child = Child()
    child.at(0, near_home(0.0), alarms=SOS)
    before = child.state.recent_alarms.copy()
    for seconds in (5, 20, 59):
        assert child.at(seconds, near_home(0.0), alarms=SOS) == []
    assert child.state.recent_alarms == before


def test_it_tells_a_second_sos_after_the_minute() -> None:
    child = Child()
    child.at(0, near_home(0.0), alarms=SOS)
    child.at(30, near_home(0.0), alarms=SOS)
    events = child.at(60, near_home(0.0), alarms=SOS)
    assert [e.kind for e in events] == [EventKind.SOS]
    assert child.kinds() == [EventKind.SOS, EventKind.SOS]


def test_it_tells_an_sos_without_a_fix_at_the_last_known_place() -> None:
    child = Child()
    child.at(0, near_home(30.0))
    events = child.send([fix(60, (0.0, 0.0), valid=False, alarms=SOS)])
    assert [e.kind for e in events] == [EventKind.SOS]
    assert (events[0].lat, events[0].lon) == near_home(30.0)


def test_it_hears_an_sos_in_a_duplicate_of_a_stored_fix() -> None:
    child = Child()
    child.at(0, near_home(0.0))
    events = child.send([fix(0, near_home(0.0), alarms=SOS)])  # same fix time, now with SOS
    assert [e.kind for e in events] == [EventKind.SOS]
    assert child.updates[-1].duplicates == 1


def test_it_tells_an_sos_once_when_two_frames_carry_it_in_one_batch() -> None:
    child = Child()
    events = child.send([fix(0, near_home(0.0), alarms=SOS), fix(1, near_home(0.0), alarms=SOS)])
    assert [e.kind for e in events] == [EventKind.SOS]


def test_it_tells_an_sos_even_from_a_buffered_fix_marked_delayed() -> None:
    child = Child()
    events = child.send([fix(0, near_home(0.0), alarms=SOS)], now=T0 + timedelta(minutes=20))
    assert [e.kind for e in events] == [EventKind.SOS]
    assert events[0].delayed


def test_it_does_not_ring_an_old_sos_again_when_the_device_resends_its_buffer() -> None:
    child = Child()
    buffered = [
        fix(60 * k, near_home(0.0), alarms=SOS if k == 2 else frozenset()) for k in range(10)
    ]
    now = T0 + timedelta(minutes=10)
    assert [e.kind for e in child.send(buffered, now=now)] == [EventKind.SOS]
    assert [e.kind for e in child.at(900, near_home(0.0), alarms=SOS)] == [EventKind.SOS]
    assert child.send(buffered, now=T0 + timedelta(minutes=16)) == []  # no acknowledgement came


def test_it_forgets_alarms_too_old_to_matter() -> None:
    child = Child()
    for hour in range(5):
        child.at(3600 * hour, near_home(0.0), alarms=SOS)
    assert child.kinds() == [EventKind.SOS] * 5
    assert len(child.state.recent_alarms["sos"]) <= 2
