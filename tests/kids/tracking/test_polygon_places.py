"""Polygon places: enter and leave by the nearest edge, with the same margin and confirmation."""

from __future__ import annotations

from carewatch.kids.tracking import EventKind, PlaceDef, PlaceKind, Polygon, Presence

from .helpers import SCHOOL, Child, at_school, offset


def test_it_tells_when_the_child_leaves_school_through_the_north_fence() -> None:
    child = Child([SCHOOL])
    child.stays(0, 300, at_school(100.0, 150.0))
    assert child.events == []
    child.stays(400, 600, at_school(250.0, 150.0))  # 50 m north of the fence
    assert child.kinds() == [EventKind.PLACE_EXIT]
    assert child.events[0].details["place_kind"] == "school"


def test_it_waits_for_clear_fixes_near_the_fence() -> None:
    child = Child([SCHOOL])
    child.stays(0, 300, at_school(100.0, 150.0))
    child.stays(400, 2000, at_school(215.0, 150.0))  # 15 m out: within the 25 m margin
    child.stays(2010, 3000, at_school(185.0, 150.0))  # 15 m in
    assert child.events == []


def test_it_sees_the_notch_of_an_l_shaped_place() -> None:
    points = [(0, 0), (300, 0), (300, 100), (100, 100), (100, 300), (0, 300)]
    l_shape = Polygon(tuple(offset(48.0, 2.0, n, e) for n, e in points))
    place = PlaceDef(7, "Park", PlaceKind.OTHER, l_shape)
    child = Child([place])
    child.stays(0, 300, offset(48.0, 2.0, 200.0, 200.0))  # in the notch
    assert child.state.places[7].presence is Presence.OUTSIDE
    child.stays(400, 700, offset(48.0, 2.0, 50.0, 200.0))  # in the lower arm
    assert child.kinds() == [EventKind.PLACE_ENTER]
