"""Duplicates: a fix time already processed is dropped, in the batch or from the last one."""

from __future__ import annotations

from .helpers import Child, fix, near_home


def test_it_drops_a_repeated_fix_in_one_batch() -> None:
    child = Child()
    child.send([fix(0, near_home(0.0)), fix(10, near_home(0.0)), fix(0, near_home(0.0))])
    update = child.updates[-1]
    assert len(update.positions) == 2
    assert update.duplicates == 1


def test_it_drops_a_resend_of_the_last_fix() -> None:
    child = Child()
    child.send([fix(0, near_home(0.0)), fix(10, near_home(0.0))])
    child.send([fix(10, near_home(0.0)), fix(20, near_home(0.0))])
    update = child.updates[-1]
    assert [p.fix.fix_time.second for p in update.positions] == [20]
    assert update.duplicates == 1


def test_it_still_counts_a_duplicate_as_a_sign_of_life() -> None:
    child = Child()
    child.send([fix(0, near_home(0.0))])
    child.send([fix(0, near_home(0.0))])
    assert child.state.last_seen == child.updates[-1].state.last_seen
    assert child.updates[-1].duplicates == 1
