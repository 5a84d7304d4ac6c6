"""DeviceState goes to one JSON column and comes back equal."""

from __future__ import annotations

import json
from datetime import timedelta

from carewatch.kids.tracking import (
    DeviceState,
    DeviceStatus,
    EventKind,
    PlaceTrack,
    Presence,
)

from .helpers import T0, Child, near_home


def test_it_round_trips_a_full_state_through_json_text() -> None:
    state = DeviceState(
        status=DeviceStatus.OFFLINE,
        last_seen=T0,
        offline_since=T0 + timedelta(minutes=15),
        last_fix_time=T0 - timedelta(seconds=5),
        position_time=T0 - timedelta(seconds=10),
        lat=52.52,
        lon=13.405,
        accuracy_m=12.5,
        battery=17,
        battery_alert=EventKind.LOW_BATTERY,
        places={
            1: PlaceTrack(Presence.INSIDE, None, None, 0, 123),
            2: PlaceTrack(None, Presence.OUTSIDE, T0, 3, 456),
        },
        recent_alarms={"sos": (T0, T0 + timedelta(minutes=3)), "removed": (T0,)},
        removed=True,
        overspeeding=True,
    )
    text = json.dumps(state.to_json())
    assert DeviceState.from_json(json.loads(text)) == state


def test_it_reads_an_empty_column_as_a_new_device() -> None:
    assert DeviceState.from_json(None) == DeviceState()
    assert DeviceState.from_json({}) == DeviceState()


def test_it_round_trips_what_the_rules_produce() -> None:
    child = Child()
    child.stays(0, 300, near_home(0.0), battery=15)
    data = json.loads(json.dumps(child.state.to_json()))
    assert DeviceState.from_json(data) == child.state


def test_it_keeps_the_state_small() -> None:
    child = Child()
    child.stays(0, 300, near_home(0.0), battery=15)
    assert len(json.dumps(child.state.to_json())) < 600


def test_it_starts_afresh_from_a_state_in_an_older_format() -> None:
    old = {"v": 1, "status": "online", "places": {"1": {"p": "in", "n": 0}}}
    assert DeviceState.from_json(old) == DeviceState()
