"""From per-eye grading to the patient's outcome: plain Python, the clinical rules in one place.

The rules are DESIGN.md's "Clinical facts": ICDR 0-1 without macular edema (DME) rescreen
in 12 months; moderate (2) refer within 3-6 months; severe (3) refer within weeks;
proliferative (4) or DME near the centre, urgent referral. Referable = moderate or worse,
or any DME, or the model's referable score over its threshold. An ungradable or missing
photo is never reported as "no DR": unless the other eye already needs referral, the
outcome is a new photo (or a referral when a new photo cannot be taken).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Outcome(IntEnum):
    """Ordered by urgency: the larger value wins between two eyes."""

    RESCREEN_12_MONTHS = 0
    RETAKE = 1
    REFER_3_6_MONTHS = 2
    REFER_WEEKS = 3
    REFER_URGENT = 4


@dataclass(frozen=True)
class EyeResult:
    gradable: bool
    grade: int | None = None  # ICDR 0-4
    dme_risk: int | None = None  # 0 none, 1 exudates away from the macula, 2 near it
    referable: bool | None = None  # the model's referable score over its threshold

    @property
    def is_referable(self) -> bool:
        if not self.gradable or self.grade is None:
            return False
        return self.grade >= 2 or bool(self.dme_risk) or bool(self.referable)


def eye_outcome(eye: EyeResult | None) -> Outcome:
    if eye is None or not eye.gradable or eye.grade is None:
        return Outcome.RETAKE
    if eye.grade >= 4 or eye.dme_risk == 2:
        return Outcome.REFER_URGENT
    if eye.grade == 3:
        return Outcome.REFER_WEEKS
    if eye.is_referable:
        return Outcome.REFER_3_6_MONTHS
    return Outcome.RESCREEN_12_MONTHS


def patient_outcome(right: EyeResult | None, left: EyeResult | None) -> Outcome:
    """The worse eye decides; RETAKE beats "rescreen" so a missing eye is never called normal."""
    return max(eye_outcome(right), eye_outcome(left))


def worse_eye(right: EyeResult | None, left: EyeResult | None) -> str | None:
    """ "right" or "left": the eye whose outcome is more urgent (higher grade on a tie);
    None when neither eye was graded."""
    graded = {side: e for side, e in (("right", right), ("left", left)) if e and e.gradable}
    if not graded:
        return None
    return max(graded, key=lambda side: (eye_outcome(graded[side]), graded[side].grade or 0))
