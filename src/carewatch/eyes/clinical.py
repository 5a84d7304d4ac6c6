"""The clinical rules and their words: plain Python, no Django, the one place for both.

From per-eye grading to the patient's outcome, and the English sentences for stages,
macular-edema risk, recommendations, follow-up, referral urgency and the disclaimer. The
sentences are marked with `gettext_noop` so makemessages finds them here; the web layer
translates them when it shows them (carewatch.eyes.wording), and the FHIR export sends them
in English.

The rules are DESIGN.md's "Clinical facts": ICDR 0-1 without macular edema (DME) rescreen
in 12 months; moderate (2) refer within 3-6 months; severe (3) refer within weeks;
proliferative (4) or DME near the centre, urgent referral. Referable = moderate or worse,
or any DME, or the model's referable score over its threshold. Urgent also when the model
flags vision-threatening DR (severe NPDR, PDR or DME within one disc diameter) while its
findings stand, or when the doctor decides so. An ungradable or missing
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
    # The model's vision-threatening flag, or the doctor's decision; None: the grades decide.
    urgent: bool | None = None

    @property
    def is_referable(self) -> bool:
        if not self.gradable or self.grade is None:
            return False
        return self.grade >= 2 or bool(self.dme_risk) or bool(self.referable) or self.is_urgent

    @property
    def is_urgent(self) -> bool:
        """PDR or DME near the centre always is; a flag (the model's or the doctor's) adds
        severe NPDR and what the grades alone miss, but never takes those two away."""
        if not self.gradable or self.grade is None:
            return False
        return self.grade >= 4 or self.dme_risk == 2 or bool(self.urgent)


def eye_outcome(eye: EyeResult | None) -> Outcome:
    if eye is None or not eye.gradable or eye.grade is None:
        return Outcome.RETAKE
    if eye.is_urgent:
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


def gettext_noop(text: str) -> str:
    """Marks a sentence for translation without importing Django (makemessages knows this
    name); carewatch.eyes.wording translates it at display time."""
    return text


STAGES: dict[int, str] = {
    0: gettext_noop("No apparent diabetic retinopathy"),
    1: gettext_noop("Mild non-proliferative diabetic retinopathy (microaneurysms only)"),
    2: gettext_noop("Moderate non-proliferative diabetic retinopathy"),
    3: gettext_noop("Severe non-proliferative diabetic retinopathy"),
    4: gettext_noop("Proliferative diabetic retinopathy"),
}
DME_RISKS: dict[int, str] = {
    0: gettext_noop("No signs of macular edema"),
    1: gettext_noop("Possible macular edema: exudates away from the centre of vision"),
    2: gettext_noop("Possible macular edema near the centre of vision"),
}
# What to do, then when to come back: (recommendation, follow-up) per outcome.
RECOMMENDATIONS: dict[Outcome, tuple[str, str]] = {
    Outcome.RESCREEN_12_MONTHS: (
        gettext_noop(
            "No referral needed. Keep blood sugar, blood pressure and cholesterol under control."
        ),
        gettext_noop("Screen again in 12 months."),
    ),
    Outcome.RETAKE: (
        gettext_noop(
            "At least one eye could not be graded, so this is not a normal result: take a new "
            "photo, or refer the patient to an eye doctor if a good photo cannot be taken."
        ),
        gettext_noop("A new photo today, or a referral."),
    ),
    Outcome.REFER_3_6_MONTHS: (
        gettext_noop("Refer to an eye doctor (referable diabetic retinopathy)."),
        gettext_noop("See an eye doctor within 3 to 6 months."),
    ),
    Outcome.REFER_WEEKS: (
        gettext_noop("Refer to an eye doctor soon (severe diabetic retinopathy)."),
        gettext_noop("See an eye doctor within a few weeks."),
    ),
    Outcome.REFER_URGENT: (
        gettext_noop("Urgent referral to an eye doctor (sight-threatening findings)."),
        gettext_noop("See an eye doctor urgently, within days."),
    ),
}
# How soon the eye department should see the patient, for the referral letter.
URGENCY: dict[Outcome, str] = {
    Outcome.REFER_URGENT: gettext_noop("Urgent: please see the patient within days."),
    Outcome.REFER_WEEKS: gettext_noop("Soon: please see the patient within a few weeks."),
    Outcome.REFER_3_6_MONTHS: gettext_noop("Routine: please see the patient within 3 to 6 months."),
}
# An eye that needs urgent referral: what it means, and what to do.
URGENT = gettext_noop(
    "Vision-threatening diabetic retinopathy suspected (severe or proliferative retinopathy, "
    "or macular edema near the centre of vision): urgent referral to an ophthalmologist."
)
DISCLAIMER = gettext_noop(
    "This report is decision support produced by software, not a diagnosis. A doctor reviews "
    "every result and decides on care."
)
