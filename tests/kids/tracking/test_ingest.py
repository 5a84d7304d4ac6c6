"""ingest(): one load, one save, devices grouped, fix-time order kept, unknown devices reported."""

from __future__ import annotations

from datetime import timedelta

from carewatch.kids.tracking import ALARM_SOS, EventKind, MemoryStore, ingest

from .helpers import HOME, SCHOOL, T0, fix, near_home


def store_with(*device_ids: str, json_states: bool = False) -> MemoryStore:
    store = MemoryStore(json_states=json_states)
    for device_id in device_ids:
        store.add_device(device_id, [HOME, SCHOOL])
    return store


def test_it_groups_fixes_by_device_and_keeps_their_order() -> None:
    store = store_with("a", "b")
    batch = [
        fix(20, near_home(0.0), device_id="a"),
        fix(5, near_home(0.0), device_id="b"),
        fix(10, near_home(0.0), device_id="a"),
        fix(0, near_home(0.0), device_id="b"),
    ]
    result = ingest(batch, store, T0 + timedelta(seconds=30))
    assert result.accepted == 4
    assert [f.fix_time.second for _, f, _ in store.positions["a"]] == [10, 20]
    assert [f.fix_time.second for _, f, _ in store.positions["b"]] == [0, 5]
    assert store.saves == 1


def test_it_reports_unknown_devices_and_processes_the_others() -> None:
    store = store_with("a")
    batch = [fix(0, near_home(0.0), device_id=d) for d in ("a", "stranger", "stranger")]
    result = ingest(batch, store, T0 + timedelta(seconds=5))
    assert result.unknown_devices == {"stranger": 2}
    assert result.accepted == 1


def test_it_saves_nothing_for_a_batch_of_unknown_devices() -> None:
    store = store_with()
    result = ingest([fix(0, near_home(0.0), device_id="x")], store, T0)
    assert result.unknown_devices == {"x": 1}
    assert store.saves == 0


def test_it_counts_late_duplicate_and_rejected_fixes() -> None:
    store = store_with("a")
    ingest([fix(100, near_home(0.0), device_id="a")], store, T0 + timedelta(seconds=101))
    batch = [
        fix(100, near_home(0.0), device_id="a"),  # duplicate
        fix(50, near_home(0.0), device_id="a"),  # late
        fix(110, near_home(0.0), device_id="a"),
        fix(9000, near_home(0.0), device_id="a"),  # a clock in the future
    ]
    result = ingest(batch, store, T0 + timedelta(seconds=111))
    assert (result.accepted, result.late, result.duplicates, result.rejected) == (2, 1, 1, 1)


def test_it_returns_the_events_to_send_after_the_save() -> None:
    store = store_with("a", "b")
    sos = frozenset({ALARM_SOS})
    batch = [
        fix(0, near_home(0.0), device_id="b", alarms=sos),
        fix(0, near_home(0.0), device_id="a"),
    ]
    result = ingest(batch, store, T0 + timedelta(seconds=1))
    assert [(e.device_id, e.kind) for e in result.events] == [("b", EventKind.SOS)]
    assert store.events == result.events


def test_it_works_the_same_through_json_states() -> None:
    plain, stored = store_with("a"), store_with("a", json_states=True)
    for seconds in range(0, 1200, 10):
        where = near_home(0.0) if seconds < 600 else near_home(500.0)
        batch = [fix(seconds, where, device_id="a", battery=100 - seconds // 12)]
        now = T0 + timedelta(seconds=seconds + 1)
        assert ingest(batch, plain, now).events == ingest(batch, stored, now).events
    assert [e.kind for e in plain.events] == [
        EventKind.PLACE_EXIT,
        EventKind.LOW_BATTERY,
        EventKind.CRITICAL_BATTERY,
    ]
    assert plain.state("a") == stored.state("a")
