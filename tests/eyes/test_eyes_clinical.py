"""The recommendation and follow-up interval from DESIGN.md's clinical facts (pure logic)."""

from __future__ import annotations

import pytest

from carewatch.eyes.clinical import (
    EyeResult,
    Outcome,
    eye_outcome,
    patient_outcome,
    worse_eye,
)


def graded(grade: int, dme: int = 0, referable: bool = False) -> EyeResult:
    return EyeResult(gradable=True, grade=grade, dme_risk=dme, referable=referable)


UNGRADABLE = EyeResult(gradable=False)


@pytest.mark.parametrize(
    ("eye", "expected"),
    [
        (graded(0), Outcome.RESCREEN_12_MONTHS),
        (graded(1), Outcome.RESCREEN_12_MONTHS),
        (graded(2), Outcome.REFER_3_6_MONTHS),
        (graded(3), Outcome.REFER_WEEKS),
        (graded(4), Outcome.REFER_URGENT),
        (graded(1, dme=1), Outcome.REFER_3_6_MONTHS),
        (graded(0, dme=2), Outcome.REFER_URGENT),
        (graded(1, referable=True), Outcome.REFER_3_6_MONTHS),
        (UNGRADABLE, Outcome.RETAKE),
        (None, Outcome.RETAKE),
    ],
)
def test_it_follows_the_clinical_rules_for_one_eye(
    eye: EyeResult | None, expected: Outcome
) -> None:
    assert eye_outcome(eye) == expected


def test_it_reports_the_worse_eye() -> None:
    assert patient_outcome(graded(0), graded(3)) == Outcome.REFER_WEEKS
    assert worse_eye(graded(0), graded(3)) == "left"
    assert worse_eye(graded(2), graded(1, dme=2)) == "left"
    assert worse_eye(graded(2), graded(2)) == "right"


def test_it_never_calls_an_ungradable_eye_normal() -> None:
    assert patient_outcome(graded(0), UNGRADABLE) == Outcome.RETAKE
    assert patient_outcome(graded(0), None) == Outcome.RETAKE
    assert patient_outcome(UNGRADABLE, UNGRADABLE) == Outcome.RETAKE
    assert worse_eye(UNGRADABLE, None) is None


def test_it_still_refers_when_the_other_eye_is_ungradable() -> None:
    assert patient_outcome(graded(4), UNGRADABLE) == Outcome.REFER_URGENT
    assert worse_eye(graded(4), UNGRADABLE) == "right"


def test_it_counts_any_macular_edema_as_referable() -> None:
    assert graded(0, dme=1).is_referable
    assert not graded(1).is_referable
    assert not UNGRADABLE.is_referable
