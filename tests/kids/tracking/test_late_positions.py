"""Positions that arrive late go into history without a storm of stale alerts."""

from __future__ import annotations

from datetime import timedelta

from carewatch.kids.tracking import ALARM_SOS, EventKind, Presence

from .helpers import HOME, SCHOOL, T0, Child, at_school, fix, near_home


def test_it_stores_an_out_of_order_fix_as_late_and_runs_no_rules_on_it() -> None:
    child = Child([HOME])
    child.stays(0, 300, near_home(0.0))
    events = child.send([fix(100.5, near_home(900.0), battery=5)])
    assert events == []
    [stored] = child.updates[-1].positions
    assert stored.late and stored.located
    assert child.state.last_fix_time == T0 + timedelta(seconds=300)
    assert child.state.lat == near_home(0.0)[0]  # the child did not move back in time
    assert child.state.battery is None


def test_it_turns_a_burst_of_50_buffered_fixes_into_history_without_events() -> None:
    child = Child([HOME, SCHOOL])
    child.stays(0, 300, near_home(0.0))
    # offline for two hours: the watch walked to school and back, battery draining
    burst = [fix(1000 + 60 * k, at_school(100.0, 150.0), battery=60 - k) for k in range(50)]
    now = T0 + timedelta(hours=3)
    events = child.send(burst, now=now)
    assert events == []
    update = child.updates[-1]
    assert len(update.positions) == 50
    assert not any(p.late for p in update.positions)  # in order, only old
    assert child.state.places[SCHOOL.id].presence is Presence.INSIDE  # learnt quietly
    assert child.state.battery == 11 and child.state.battery_alert is None  # told when current


def test_it_tells_the_low_battery_of_the_first_current_fix_after_a_burst() -> None:
    child = Child([HOME])
    child.stays(0, 300, near_home(0.0))
    burst = [fix(1000 + 60 * k, near_home(0.0), battery=30 - k) for k in range(20)]
    now = T0 + timedelta(hours=3)
    assert child.send(burst, now=now) == []
    events = child.send([fix(3 * 3600 - 5, near_home(0.0), battery=11)], now=now)
    assert [e.kind for e in events] == [EventKind.LOW_BATTERY]


def test_it_shuffles_a_batch_back_into_fix_time_order() -> None:
    child = Child([HOME])
    fixes = [fix(s, near_home(0.0)) for s in (50, 10, 40, 20, 30)]
    child.send(fixes)
    times = [p.fix.fix_time for p in child.updates[-1].positions]
    assert times == sorted(times)
    assert not any(p.late for p in child.updates[-1].positions)


def test_it_still_tells_an_sos_that_arrives_late_marked_delayed() -> None:
    child = Child([HOME])
    child.stays(0, 1800, near_home(0.0), every=60)
    events = child.send([fix(600, near_home(0.0), alarms=frozenset({ALARM_SOS}))])
    assert [e.kind for e in events] == [EventKind.SOS]
    assert events[0].delayed
    assert events[0].time == T0 + timedelta(seconds=600)


def test_it_keeps_an_sos_older_than_the_limit_in_history_only() -> None:
    child = Child([HOME])
    late_sos = fix(0, near_home(0.0), alarms=frozenset({ALARM_SOS}))
    events = child.send([late_sos], now=T0 + timedelta(hours=2))
    assert events == []
    assert len(child.updates[-1].positions) == 1


def test_it_tells_each_sos_of_a_buffered_burst_once_delayed() -> None:
    child = Child([HOME])
    sos = frozenset({ALARM_SOS})
    pressed = {180, 200, 220, 1200}  # three presses within a minute, then another
    burst = [
        fix(s, near_home(0.0), alarms=sos if s in pressed else frozenset())
        for s in range(0, 1800, 20)
    ]
    events = child.send(burst, now=T0 + timedelta(minutes=40))
    assert [e.kind for e in events] == [EventKind.SOS, EventKind.SOS]
    assert [e.time for e in events] == [T0 + timedelta(seconds=s) for s in (180, 1200)]
    assert all(e.delayed for e in events)


def test_it_does_not_store_a_fix_from_a_clock_in_the_future_but_hears_its_sos() -> None:
    child = Child([HOME])
    events = child.send([fix(3600, near_home(0.0), alarms=frozenset({ALARM_SOS}))], now=T0)
    assert [e.kind for e in events] == [EventKind.SOS]
    assert events[0].time == T0 and not events[0].delayed
    assert child.updates[-1].positions == []
    assert child.updates[-1].rejected == 1
    assert child.state.last_fix_time is None


def test_a_heartbeat_on_the_servers_clock_does_not_make_the_watchs_next_fix_late() -> None:
    # A watch's LK heartbeat has no time of its own (the gateway stamps it on receipt);
    # its positions carry the watch's clock, a few seconds behind. They are still current.
    child = Child([HOME, SCHOOL])
    child.stays(0, 300, near_home(0.0))
    child.send([fix(610, (0.0, 0.0), valid=False, battery=80)])
    child.send([fix(605, at_school(100.0, 150.0))])
    child.send([fix(725, at_school(100.0, 150.0))])
    assert not any(p.late for u in child.updates[-2:] for p in u.positions)
    assert child.state.places[SCHOOL.id].presence is Presence.INSIDE
    assert EventKind.PLACE_ENTER in child.kinds()


def test_a_fix_without_a_position_behind_the_last_one_is_still_late() -> None:
    child = Child([HOME])
    child.stays(0, 300, near_home(0.0))
    child.send([fix(200, (0.0, 0.0), valid=False, battery=5)])
    [stored] = child.updates[-1].positions
    assert stored.late and child.state.battery_alert is None
