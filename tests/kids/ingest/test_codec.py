"""How fixes travel in the log: exact round trips, stable partitions, garbage refused."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carewatch.kids.ingest import codec
from carewatch.kids.ingest.log import NORMAL, URGENT
from carewatch.kids.tracking import Fix

T0 = datetime(2026, 11, 23, 9, 0, 0, 123456, tzinfo=UTC)


def test_a_fix_comes_back_exactly_as_it_went_in() -> None:
    fix = Fix(
        "860000000000001",
        T0,
        13.0827,
        80.2707,
        accuracy_m=12.5,
        speed_kmh=3.0,
        course=90.0,
        altitude=5.0,
        battery=80,
        valid=False,
        alarms=frozenset({"sos", "fall"}),
        attributes={"steps": 10},
    )
    assert codec.decode(codec.encode([fix])) == [fix]
    assert codec.decode(codec.encode([fix]))[0].attributes == {"steps": 10}


@given(st.datetimes(timezones=st.just(UTC)), st.floats(-90, 90), st.floats(-180, 180))
def test_any_time_and_place_round_trip(when: datetime, lat: float, lon: float) -> None:
    fix = Fix("x", when, lat, lon)
    assert codec.decode(codec.encode([fix])) == [fix]


def test_a_device_always_lands_in_the_same_partition() -> None:
    assert codec.partition_of("860000000000001", 8) == codec.partition_of("860000000000001", 8)
    spread = {codec.partition_of(f"86000000000{n:04d}", 8) for n in range(200)}
    assert spread == set(range(8))


def test_alarms_go_to_the_urgent_lane_and_order_is_kept() -> None:
    fixes = [Fix("a", T0.replace(second=s), 1.0, 1.0) for s in range(5)]
    sos = Fix("a", T0.replace(second=9), 1.0, 1.0, alarms=frozenset({"sos"}))
    battery = Fix("a", T0.replace(second=8), 1.0, 1.0, alarms=frozenset({"low_battery"}))
    groups = codec.split([*fixes, sos, battery], 4)
    p = codec.partition_of("a", 4)
    assert groups == {(p, NORMAL): [*fixes, battery], (p, URGENT): [sos]}


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"{}",
        b"[1]",
        b"[[1,2]]",
        b'[["a","t",1,1,null,null,null,null,null,1,[],null]]',
        b"\xff",
    ],
)
def test_anything_else_is_refused_with_a_value_error(garbage: bytes) -> None:
    with pytest.raises(ValueError):
        codec.decode(garbage)


def test_attributes_the_fast_encoder_refuses_still_travel_and_nothing_else_is_lost() -> None:
    attributes: dict[Any, Any] = {"odometer": 10**30, 7: "seven", "huge": 10**400}
    odd = Fix("a", T0, 1.0, 2.0, attributes=attributes)
    plain = Fix("b", T0, 3.0, 4.0, attributes={"steps": 5})
    first, second = codec.decode(codec.encode([odd, plain]))
    assert first.attributes == {"odometer": 1e30, "7": "seven", "huge": str(10**400)}
    assert second == plain


def test_a_position_that_is_not_a_finite_number_arrives_as_no_position() -> None:
    """The decoders never make one; if one slips through, its fix keeps its battery and
    alarms as an invalid fix, and the message's other fixes are kept."""
    broken = Fix("a", T0, float("nan"), 2.0, battery=40, alarms=frozenset({"sos"}))
    odd_attribute = Fix("b", T0, 3.0, 4.0, attributes={"odometer": float("inf")})
    first, second = codec.decode(codec.encode([broken, odd_attribute]))
    assert (first.valid, first.located, first.battery, first.alarms) == (
        False,
        False,
        40,
        frozenset({"sos"}),
    )
    assert second.attributes == {"odometer": None}
    assert second.located


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.text(), json_values, max_size=4))
def test_any_attributes_are_encoded_and_decoded_without_an_error(attributes: dict) -> None:
    fix = Fix("x", T0, 1.0, 2.0, attributes=attributes)
    [back] = codec.decode(codec.encode([fix]))
    assert set(back.attributes) == set(attributes)
