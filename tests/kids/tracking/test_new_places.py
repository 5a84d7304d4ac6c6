"""A place drawn around a child, or a new device, learns where the child is silently."""

from __future__ import annotations

import dataclasses

from carewatch.kids.tracking import Circle, EventKind, Presence

from .helpers import HOME, SCHOOL, Child, at_school, near_home


def test_it_does_not_say_arrived_when_a_parent_draws_a_place_around_the_child() -> None:
    child = Child(places=[])
    child.stays(0, 300, near_home(0.0))
    child.places = [HOME]  # the parent draws Home around the child
    child.stays(310, 1000, near_home(0.0))
    assert child.events == []
    assert child.state.places[HOME.id].presence is Presence.INSIDE


def test_it_does_not_say_left_when_a_place_is_drawn_away_from_the_child() -> None:
    child = Child(places=[HOME])
    child.stays(0, 300, near_home(0.0))
    child.places = [HOME, SCHOOL]
    child.stays(310, 1000, near_home(0.0))
    assert child.events == []
    assert child.state.places[SCHOOL.id].presence is Presence.OUTSIDE


def test_it_learns_a_new_devices_places_silently_then_tells_changes() -> None:
    child = Child(places=[HOME, SCHOOL])
    child.stays(0, 300, at_school(100.0, 150.0))
    assert child.events == []
    child.stays(400, 700, near_home(0.0))
    told = [(e.kind, e.place_id) for e in child.events]  # one fix confirms both: leaving first
    assert told == [(EventKind.PLACE_EXIT, SCHOOL.id), (EventKind.PLACE_ENTER, HOME.id)]


def test_it_does_not_trust_one_fix_to_learn_a_new_place() -> None:
    child = Child(places=[HOME])
    child.at(0, near_home(500.0))  # a wild first fix, clearly outside
    child.stays(10, 1000, near_home(0.0))  # the child was home all along
    assert child.events == []
    assert child.state.places[HOME.id].presence is Presence.INSIDE


def test_it_relearns_an_edited_place_silently() -> None:
    child = Child(places=[HOME])
    child.stays(0, 300, near_home(300.0))
    assert child.state.places[HOME.id].presence is Presence.OUTSIDE
    bigger = dataclasses.replace(HOME, shape=Circle(*near_home(0.0), 500.0))
    child.places = [bigger]  # the parent makes Home bigger, around the child
    child.stays(310, 1000, near_home(300.0))
    assert child.events == []
    assert child.state.places[HOME.id].presence is Presence.INSIDE


def test_it_forgets_a_deleted_place() -> None:
    child = Child(places=[HOME, SCHOOL])
    child.stays(0, 300, near_home(0.0))
    child.places = [HOME]
    child.at(310, near_home(0.0))
    assert set(child.state.places) == {HOME.id}
