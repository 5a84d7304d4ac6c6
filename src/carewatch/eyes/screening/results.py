"""The visit report: per eye and for the patient (worse eye), in plain translated words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from carewatch.eyes.clinical import EyeResult, Outcome, patient_outcome, worse_eye
from carewatch.eyes.screening.models import Eye, Grading, Image, ImageStatus, Visit

STAGES = {
    0: _("No apparent diabetic retinopathy"),
    1: _("Mild non-proliferative diabetic retinopathy (microaneurysms only)"),
    2: _("Moderate non-proliferative diabetic retinopathy"),
    3: _("Severe non-proliferative diabetic retinopathy"),
    4: _("Proliferative diabetic retinopathy"),
}
DME_RISKS = {
    0: _("No signs of macular edema"),
    1: _("Possible macular edema: exudates away from the centre of vision"),
    2: _("Possible macular edema near the centre of vision"),
}
RECOMMENDATIONS = {
    Outcome.RESCREEN_12_MONTHS: (
        _("No referral needed. Keep blood sugar, blood pressure and cholesterol under control."),
        _("Screen again in 12 months."),
    ),
    Outcome.RETAKE: (
        _(
            "At least one eye could not be graded, so this is not a normal result: take a new "
            "photo, or refer the patient to an eye doctor if a good photo cannot be taken."
        ),
        _("A new photo today, or a referral."),
    ),
    Outcome.REFER_3_6_MONTHS: (
        _("Refer to an eye doctor (referable diabetic retinopathy)."),
        _("See an eye doctor within 3 to 6 months."),
    ),
    Outcome.REFER_WEEKS: (
        _("Refer to an eye doctor soon (severe diabetic retinopathy)."),
        _("See an eye doctor within a few weeks."),
    ),
    Outcome.REFER_URGENT: (
        _("Urgent referral to an eye doctor (sight-threatening findings)."),
        _("See an eye doctor urgently, within days."),
    ),
}
DISCLAIMER = _(
    "This report is decision support produced by software, not a diagnosis. A doctor reviews "
    "every result and decides on care."
)


@dataclass
class EyeReport:
    eye: str
    label: str
    image: Image | None
    grading: Grading | None

    @property
    def result(self) -> EyeResult | None:
        g = self.grading
        if g is None:
            return None
        return EyeResult(g.gradable, g.grade, g.dme_risk, g.referable)

    @property
    def stage(self) -> str:
        return self.grading.stage() if self.grading else ""

    @property
    def dme(self) -> str:
        return self.grading.dme_words() if self.grading else ""

    @property
    def referable(self) -> bool:
        return bool(self.result and self.result.is_referable)


@dataclass
class VisitReport:
    visit: Visit
    eyes: list[EyeReport]
    ready: bool  # every photo that was taken has finished grading
    outcome: Outcome
    worse: EyeReport | None

    @property
    def recommendation(self) -> str:
        return str(RECOMMENDATIONS[self.outcome][0])

    @property
    def follow_up(self) -> str:
        return str(RECOMMENDATIONS[self.outcome][1])

    @property
    def model_versions(self) -> list[str]:
        return sorted({e.grading.model_version for e in self.eyes if e.grading})

    disclaimer = DISCLAIMER


def build(visit: Visit) -> VisitReport:
    eyes = []
    for eye, label in Eye.choices:
        image = visit.current_image(eye)
        grading = Grading.objects.filter(image=image).first() if image else None
        eyes.append(EyeReport(eye, str(label), image, grading))
    right, left = (e.result for e in eyes)
    worse = worse_eye(right, left)
    return VisitReport(
        visit=visit,
        eyes=eyes,
        ready=not any(e.image and e.image.status == ImageStatus.QUEUED for e in eyes),
        outcome=patient_outcome(right, left),
        worse=next((e for e in eyes if e.eye == worse), None),
    )
