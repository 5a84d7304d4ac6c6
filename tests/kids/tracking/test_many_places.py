"""A family with many places: the STRtree finds the ones near a fix, with the same results."""

from __future__ import annotations

import random

from carewatch.kids.tracking import ALARM_SOS, Circle, Fix, PlaceDef, PlaceKind, PlaceSet
from carewatch.kids.tracking.places import INDEX_MIN_PLACES

from .helpers import Child, fix, offset, rectangle


def many_places(count: int) -> list[PlaceDef]:
    rng = random.Random(2)
    places = []
    for i in range(count):
        lat, lon = offset(48.0, 2.0, rng.uniform(-3000, 3000), rng.uniform(-3000, 3000))
        if i % 2:
            shape = rectangle(lat, lon, rng.uniform(80, 300), rng.uniform(80, 300))
            places.append(PlaceDef(i, f"Polygon {i}", PlaceKind.OTHER, shape))
        else:
            places.append(PlaceDef(i, f"Circle {i}", PlaceKind.OTHER, Circle(lat, lon, 150.0)))
    return places


def walk(places: list[PlaceDef] | PlaceSet) -> Child:
    """Two hours of wandering, sent in batches of 1-6 fixes, with a few SOS presses."""
    rng = random.Random(9)
    child = Child([])
    child.places = places  # type: ignore[assignment]
    north = east = 0.0
    batch: list[Fix] = []
    for k in range(1500):
        north += rng.gauss(0, 40)
        east += rng.gauss(0, 40)
        where = offset(48.0, 2.0, north % 6000 - 3000, east % 6000 - 3000)
        alarms = frozenset({ALARM_SOS}) if rng.random() < 0.01 else frozenset()
        batch.append(fix(30 * k, where, alarms=alarms))
        if len(batch) >= rng.randint(1, 6):
            child.send(batch)
            batch = []
    return child


def test_it_uses_the_tree_for_a_family_with_many_places() -> None:
    assert PlaceSet.of(many_places(INDEX_MIN_PLACES)).indexed
    assert not PlaceSet.of(many_places(INDEX_MIN_PLACES - 1)).indexed


def test_it_gives_the_same_events_with_and_without_the_tree() -> None:
    places = many_places(200)
    scanned = PlaceSet(places)
    scanned._tree = None  # force the plain scan
    indexed = walk(places)
    plain = walk(scanned)
    assert len(indexed.events) > 10
    assert indexed.events == plain.events
    assert indexed.state == plain.state
