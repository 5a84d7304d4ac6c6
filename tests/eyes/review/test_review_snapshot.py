"""The frozen content of a signed report: final grades, overrides, outcome (pure Python)."""

from __future__ import annotations

import pytest

from carewatch.eyes.clinical import Outcome
from carewatch.eyes.review.snapshot import (
    AGREE,
    DecisionError,
    EyeDecision,
    apply,
    decide,
    eye_from_grading,
    missing_eye,
    snapshot,
)


def eye(side: str = "right", grade: int | None = 0, dme: int | None = 0, referable: bool = False):
    return eye_from_grading(
        side,
        7 if side == "right" else 8,
        gradable=grade is not None,
        reason="" if grade is not None else "Too dark.",
        grade=grade,
        dme_risk=dme if grade is not None else None,
        model_referable=referable,
        quality={"brightness": 0.4},
        model_version="m-1",
    )


def test_it_freezes_both_eyes_right_first_with_the_software_and_final_values() -> None:
    content = snapshot([eye("left", 2), eye("right", 0)], {}, "  Looks fine.  ")
    assert [e["eye"] for e in content["eyes"]] == ["right", "left"]
    left = content["eyes"][1]
    assert (left["ai_grade"], left["grade"], left["referable"]) == (2, 2, True)
    assert left["quality"] == {"brightness": 0.4} and left["model_version"] == "m-1"
    assert left["override_reason"] == ""
    assert content["worse_eye"] == "left"
    assert content["doctor_note"] == "Looks fine."


def test_it_recomputes_the_outcome_from_the_doctors_grade() -> None:
    content = snapshot(
        [eye("right", 0), eye("left", 2, referable=True)],
        {"left": EyeDecision(grade=1, reason="Only microaneurysms.")},
    )
    left = content["eyes"][1]
    assert (left["ai_grade"], left["grade"], left["referable"]) == (2, 1, False)
    assert left["override_reason"] == "Only microaneurysms."
    assert decide(content).outcome == Outcome.RESCREEN_12_MONTHS
    assert decide(content).follow_up_months == 12
    assert decide(content).referable is False


def test_it_refers_urgently_when_the_doctor_finds_edema_near_the_centre() -> None:
    content = snapshot(
        [eye("right", 0), eye("left", 0)], {"right": EyeDecision(dme_risk=2, reason="Exudates.")}
    )
    decision = decide(content)
    assert decision.outcome == Outcome.REFER_URGENT
    assert decision.referable is True
    assert decision.follow_up_months is None
    assert content["worse_eye"] == "right"


def test_it_keeps_the_models_referable_score_while_the_doctor_agrees() -> None:
    content = snapshot([eye("right", 1, referable=True), eye("left", 0)], {})
    assert decide(content).outcome == Outcome.REFER_3_6_MONTHS


def test_it_requires_a_reason_for_a_change() -> None:
    with pytest.raises(DecisionError) as error:
        apply(eye("right", 0), EyeDecision(grade=3))
    assert error.value.code == "reason"


def test_it_treats_a_change_to_the_same_values_as_agreement() -> None:
    same = apply(eye("right", 2), EyeDecision(grade=2))
    assert same == eye("right", 2)


def test_it_rejects_grades_outside_the_icdr_scale() -> None:
    with pytest.raises(DecisionError):
        apply(eye(), EyeDecision(grade=5, reason="x"))
    with pytest.raises(DecisionError):
        apply(eye(), EyeDecision(dme_risk=3, reason="x"))


def test_it_never_reports_a_missing_eye_as_normal() -> None:
    content = snapshot([eye("right", 0)], {})
    assert content["eyes"][1] == missing_eye("left")
    assert content["eyes"][1]["image_id"] is None
    assert decide(content).outcome == Outcome.RETAKE
    assert decide(content).follow_up_months is None


def test_it_lets_the_doctor_grade_a_photo_the_software_could_not() -> None:
    with pytest.raises(DecisionError) as error:
        apply(eye("left", None), EyeDecision(dme_risk=0, reason="Readable."))
    assert error.value.code == "needs_grade"
    graded = apply(eye("left", None), EyeDecision(grade=0, dme_risk=0, reason="Readable."))
    assert graded["gradable"] is True and graded["ai_grade"] is None
    assert decide(snapshot([eye("right", 0), graded], {})).outcome == Outcome.RESCREEN_12_MONTHS


def test_it_refuses_to_grade_an_eye_without_a_photo() -> None:
    with pytest.raises(DecisionError) as error:
        apply(missing_eye("left"), EyeDecision(grade=0, reason="Guess."))
    assert error.value.code == "no_photo"


def test_it_copies_an_unchanged_eye_with_its_earlier_reason_in_an_amendment() -> None:
    first = snapshot([eye("right", 2), eye("left", 0)], {"right": EyeDecision(3, None, "Beading.")})
    second = snapshot(first["eyes"], {"left": EyeDecision(1, None, "Missed a microaneurysm.")})
    assert second["eyes"][0] == first["eyes"][0]
    assert second["eyes"][1]["override_reason"] == "Missed a microaneurysm."
    assert second["eyes"][1]["ai_grade"] == 0
    assert AGREE.agrees
