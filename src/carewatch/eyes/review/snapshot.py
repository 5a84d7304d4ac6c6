"""The frozen content of a signed report, built from the grader's findings and the doctor's
decisions: plain Python, no Django, so the clinical bookkeeping is tested on its own.

content = {
  "eyes": [ {"eye": "right"|"left", "image_id": int|None, "gradable": bool,
             "reason": str,  # a grader code (retina.quality.REASONS, "no_photo") or text
             "ai_grade": int|None, "grade": int|None,          # grade: final ICDR 0-4
             "ai_dme_risk": int|None, "dme_risk": int|None,    # final DME risk 0/1/2
             "referable": bool, "quality": {...}, "model_version": str,
             "ai_urgent": bool|None,  # the software's findings call for urgent referral
                                      # (its flag, or PDR / DME near the centre); None:
                                      # the software did not grade the photo
             "urgent": bool,          # final: urgent referral to an ophthalmologist
             "override_reason": str }, ... right first, then left ],
  "worse_eye": "right"|"left"|None,
  "doctor_note": str,
  "heatmap_for_patient": bool,  # the signing doctor agreed: the patient's copy shows them
}

Reports signed before the urgent flag have no "ai_urgent"/"urgent": the grades decide, as
they did then. Reports signed before the heatmap agreement have no "heatmap_for_patient":
their patient's copy shows none.

An amendment starts from the previous version's eyes: an eye the doctor leaves alone is
copied as it was (with its earlier override reason); a changed eye records the new reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from carewatch.eyes.clinical import EyeResult, Outcome, patient_outcome, worse_eye

EYES = ("right", "left")
GRADES = range(5)  # ICDR 0-4
DME_RISKS = range(3)  # 0 none, 1 away from the macula, 2 near it
NO_PHOTO = "no_photo"  # a reason code: eyes/wording.py words it


class DecisionError(ValueError):
    """A doctor's decision that cannot be recorded as given; the message says what to fix,
    and `code` lets the page say it in the doctor's language."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class EyeDecision:
    """Agree (all None) or override the grade, the DME risk and/or the urgent referral,
    with a reason. urgent None: the final grades decide (the model's flag no longer counts
    once the doctor changed the findings, as its referable score)."""

    grade: int | None = None
    dme_risk: int | None = None
    reason: str = ""
    urgent: bool | None = None

    @property
    def agrees(self) -> bool:
        return self.grade is None and self.dme_risk is None and self.urgent is None


AGREE = EyeDecision()


@dataclass(frozen=True)
class Decision:
    """What the final grades mean for the patient: stored beside the content for querying."""

    outcome: Outcome
    referable: bool
    follow_up_months: int | None


def eye_from_grading(
    eye: str,
    image_id: int | None,
    *,
    gradable: bool,
    reason: str = "",
    grade: int | None = None,
    dme_risk: int | None = None,
    model_referable: bool | None = None,
    quality: dict[str, Any] | None = None,
    model_version: str = "",
    model_urgent: bool | None = None,
) -> dict[str, Any]:
    """One eye as the grader left it, before the doctor's review."""
    result = EyeResult(gradable, grade, dme_risk, model_referable, model_urgent)
    return {
        "eye": eye,
        "image_id": image_id,
        "gradable": gradable,
        "reason": reason,
        "ai_grade": grade,
        "grade": grade,
        "ai_dme_risk": dme_risk,
        "dme_risk": dme_risk,
        "referable": result.is_referable,
        "quality": dict(quality or {}),
        "model_version": model_version,
        "ai_urgent": result.is_urgent if gradable and grade is not None else None,
        "urgent": result.is_urgent,
        "override_reason": "",
    }


def missing_eye(eye: str) -> dict[str, Any]:
    """An eye without a photo is never "no DR": it stays ungradable in the report."""
    return eye_from_grading(eye, None, gradable=False, reason=NO_PHOTO)


def apply(eye: dict[str, Any], decision: EyeDecision) -> dict[str, Any]:
    """The eye after the doctor's decision; the input is left unchanged."""
    check(eye, decision)
    if decision.agrees or not changes(eye, decision):
        return dict(eye)
    grade = decision.grade if decision.grade is not None else eye["grade"]
    dme_risk = decision.dme_risk if decision.dme_risk is not None else eye["dme_risk"]
    # A doctor who grades a photo the model could not read makes it gradable; the model's
    # referable score and urgent flag no longer count once the doctor has changed its
    # findings (the doctor's own urgent decision does).
    gradable = bool(eye["gradable"] or grade is not None)
    final = EyeResult(gradable, grade, dme_risk, None, decision.urgent)
    return {
        **eye,
        "gradable": gradable,
        "grade": grade,
        "dme_risk": dme_risk,
        "referable": final.is_referable,
        "urgent": final.is_urgent,
        "override_reason": decision.reason.strip(),
    }


def changes(eye: dict[str, Any], decision: EyeDecision) -> bool:
    return (
        (decision.grade is not None and decision.grade != eye["grade"])
        or (decision.dme_risk is not None and decision.dme_risk != eye["dme_risk"])
        or (decision.urgent is not None and decision.urgent != result(eye).is_urgent)
    )


def check(eye: dict[str, Any], decision: EyeDecision) -> None:
    if decision.grade is not None and decision.grade not in GRADES:
        raise DecisionError("grade", "Choose a grade from 0 to 4.")
    if decision.dme_risk is not None and decision.dme_risk not in DME_RISKS:
        raise DecisionError("dme_risk", "Choose a macular edema risk of 0, 1 or 2.")
    if decision.agrees or not changes(eye, decision):
        return
    if not decision.reason.strip():
        raise DecisionError("reason", "Give a reason for changing the finding.")
    if eye["image_id"] is None:
        raise DecisionError(
            "no_photo", "There is no photo of this eye to grade: agree, or take a photo."
        )
    if not eye["gradable"] and eye["grade"] is None and decision.grade is None:
        raise DecisionError(
            "needs_grade", "This photo was not graded: choose a grade to grade it yourself."
        )
    if decision.urgent is False and urgent_by_grades(eye, decision):
        raise DecisionError(
            "urgent_required",
            "Proliferative retinopathy or macular edema near the centre of vision always "
            "needs urgent referral: change the grade or the edema risk, or keep it urgent.",
        )


def urgent_by_grades(eye: dict[str, Any], decision: EyeDecision) -> bool:
    """Whether the grades after this decision alone call for urgent referral."""
    grade = decision.grade if decision.grade is not None else eye["grade"]
    dme_risk = decision.dme_risk if decision.dme_risk is not None else eye["dme_risk"]
    return EyeResult(True, grade, dme_risk).is_urgent if grade is not None else False


def snapshot(
    eyes: list[dict[str, Any]],
    decisions: dict[str, EyeDecision],
    doctor_note: str = "",
    heatmap_for_patient: bool = False,
) -> dict[str, Any]:
    """The content of a signed version: each eye after its decision, right eye first; the
    patient's copy shows the heatmaps only when the signing doctor agreed to it."""
    by_side = {e["eye"]: e for e in eyes}
    final = [
        apply(by_side.get(side) or missing_eye(side), decisions.get(side, AGREE)) for side in EYES
    ]
    right, left = (result(e) for e in final)
    return {
        "eyes": final,
        "worse_eye": worse_eye(right, left),
        "doctor_note": doctor_note.strip(),
        "heatmap_for_patient": heatmap_for_patient,
    }


def heatmap_for_patient(content: dict[str, Any]) -> bool:
    """Only an explicit yes from the signing doctor: never by default, never for a report
    signed before the question was asked."""
    return content.get("heatmap_for_patient") is True


def result(eye: dict[str, Any]) -> EyeResult:
    return EyeResult(
        eye["gradable"], eye["grade"], eye["dme_risk"], eye["referable"], eye.get("urgent")
    )


def decide(content: dict[str, Any]) -> Decision:
    """Outcome, referable and follow-up from the FINAL grades, with the screening rules."""
    by_side = {e["eye"]: result(e) for e in content["eyes"]}
    outcome = patient_outcome(by_side.get("right"), by_side.get("left"))
    referable = any(r.is_referable for r in by_side.values())
    months = 12 if outcome == Outcome.RESCREEN_12_MONTHS else None
    return Decision(outcome, referable, months)
