"""Offline after 15 minutes of silence, found by the periodic task; back online after."""

from __future__ import annotations

from datetime import timedelta

from carewatch.kids.tracking import DeviceState, DeviceStatus, EventKind, check_offline

from .helpers import T0, Child, near_home


def reported_at_zero() -> Child:
    child = Child()
    child.at(0, near_home(0.0))  # arrives at T0 + 2 s
    assert child.state.status is DeviceStatus.ONLINE
    return child


def test_it_keeps_a_device_online_for_15_minutes_of_silence() -> None:
    child = reported_at_zero()
    state, events = check_offline("watch-1", child.state, T0 + timedelta(minutes=15))
    assert events == [] and state is child.state


def test_it_marks_a_silent_device_offline_once() -> None:
    child = reported_at_zero()
    now = T0 + timedelta(minutes=15, seconds=2)
    state, events = check_offline("watch-1", child.state, now)
    assert [e.kind for e in events] == [EventKind.OFFLINE]
    assert events[0].time == now
    assert events[0].details == {"last_seen": (T0 + timedelta(seconds=2)).isoformat()}
    assert state.status is DeviceStatus.OFFLINE
    assert child.state.status is DeviceStatus.ONLINE  # the argument is left alone
    again, more = check_offline("watch-1", state, now + timedelta(minutes=5))
    assert more == [] and again is state


def test_it_says_back_online_when_the_device_reports_again() -> None:
    child = reported_at_zero()
    child.state, _ = check_offline("watch-1", child.state, T0 + timedelta(minutes=20))
    events = child.at(3600, near_home(0.0))
    assert [e.kind for e in events] == [EventKind.BACK_ONLINE]
    assert events[0].details["offline_since"] == (T0 + timedelta(minutes=20)).isoformat()
    assert child.state.status is DeviceStatus.ONLINE
    assert child.state.offline_since is None


def test_it_says_back_online_even_for_a_report_without_a_fix() -> None:
    child = reported_at_zero()
    child.state, _ = check_offline("watch-1", child.state, T0 + timedelta(minutes=20))
    events = child.at(3600, (0.0, 0.0), valid=False, battery=80)
    assert [e.kind for e in events] == [EventKind.BACK_ONLINE]


def test_it_leaves_a_device_that_never_reported_unknown() -> None:
    state, events = check_offline("watch-1", DeviceState(), T0)
    assert events == [] and state.status is DeviceStatus.UNKNOWN


def test_it_puts_a_new_device_online_without_an_event() -> None:
    child = Child()
    assert child.at(0, near_home(0.0)) == []
    assert child.state.last_seen == T0 + timedelta(seconds=2)
