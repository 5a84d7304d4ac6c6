"""Properties checked over seeded random walks (hypothesis is not installed: plain loops)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from carewatch.kids.tracking import ALARM_SOS, Fix, Presence
from carewatch.kids.tracking.geo import geometry_of

from .helpers import HOME, SCHOOL, Child, at_school, fix, offset

PLACES = [HOME, SCHOOL]


def random_day(seed: int, count: int = 600) -> list[Fix]:
    """A child wandering between home and school, a fix every 10-30 s."""
    rng = random.Random(seed)
    targets = [offset(52.52, 13.405, 0, 0), at_school(100, 150), offset(52.525, 13.40, 0, 0)]
    lat, lon = targets[0]
    fixes, seconds = [], 0.0
    target = targets[0]
    for _ in range(count):
        if rng.random() < 0.02:
            target = rng.choice(targets)
        lat += (target[0] - lat) * 0.1 + rng.gauss(0, 0.0001)
        lon += (target[1] - lon) * 0.1 + rng.gauss(0, 0.0001)
        seconds += rng.uniform(10, 30)
        alarms = frozenset({ALARM_SOS}) if rng.random() < 0.01 else frozenset()
        battery = max(1, 100 - int(seconds // 120))
        accuracy = rng.uniform(5, 60)
        valid = rng.random() > 0.03
        fixes.append(
            fix(seconds, (lat, lon), accuracy=accuracy, battery=battery, alarms=alarms, valid=valid)
        )
    return fixes


def one_by_one(fixes: list[Fix]) -> Child:
    child = Child(PLACES)
    for f in fixes:
        child.send([f])
    return child


@pytest.mark.parametrize("seed", range(4))
def test_it_gives_the_same_result_however_the_fixes_are_batched(seed: int) -> None:
    fixes = random_day(seed)
    expected = one_by_one(fixes)
    rng = random.Random(seed + 100)
    child = Child(PLACES)
    start = 0
    while start < len(fixes):  # batches of 1-8 fixes, shuffled, sent 2 s after the newest
        size = rng.randint(1, 8)
        batch = fixes[start : start + size]
        rng.shuffle(batch)
        child.send(batch)
        start += size
    assert len(expected.events) > 3
    assert child.events == expected.events
    assert child.state == expected.state


@pytest.mark.parametrize("seed", range(4))
def test_it_never_tells_anything_from_late_fixes_but_a_recent_sos(seed: int) -> None:
    fixes = random_day(seed)
    child = one_by_one(fixes)
    rng = random.Random(seed)
    final = child.state
    for _ in range(200):
        old = rng.choice(fixes[:-1])
        moved = offset(old.lat, old.lon, rng.uniform(-2000, 2000), rng.uniform(-2000, 2000))
        late = Fix(
            old.device_id,
            old.fix_time + timedelta(seconds=rng.uniform(0.1, 5)),
            *moved,
            accuracy_m=5.0,
            battery=rng.randint(1, 100),
        )
        if late.fix_time >= final.last_fix_time:  # type: ignore[operator]
            continue
        assert child.send([late]) == []
        assert child.updates[-1].positions[0].late
    assert child.state.places == final.places
    assert (child.state.lat, child.state.lon, child.state.battery) == (
        final.lat,
        final.lon,
        final.battery,
    )


@pytest.mark.parametrize("seed", range(3))
def test_it_classifies_consistently_with_the_signed_distance(seed: int) -> None:
    rng = random.Random(seed)
    for place in PLACES:
        geometry = geometry_of(place.shape)
        for _ in range(500):
            where = offset(52.525, 13.403, rng.uniform(-1200, 1200), rng.uniform(-1200, 1200))
            margin = rng.uniform(25, 80)
            d = geometry.signed_distance(*where)
            seen = geometry.classify(*where, margin)
            if d <= -margin - 0.5:
                assert seen is Presence.INSIDE
            elif d >= margin + 0.5:
                assert seen is Presence.OUTSIDE
            elif -margin + 0.5 < d < margin - 0.5:
                assert seen is None
