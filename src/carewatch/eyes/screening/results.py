"""The software's results for a visit before a doctor signs: per eye and for the patient (the
worse eye), in plain translated words (eyes/wording.py). The signed report is documents/."""

from __future__ import annotations

from dataclasses import dataclass

from carewatch.eyes import wording
from carewatch.eyes.clinical import EyeResult, Outcome, patient_outcome, worse_eye
from carewatch.eyes.screening.models import Eye, Grading, Image, ImageStatus, Visit


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
        return EyeResult(g.gradable, g.grade, g.dme_risk, g.referable, g.urgent)

    @property
    def stage(self) -> str:
        return self.grading.stage() if self.grading else ""

    @property
    def dme(self) -> str:
        return self.grading.dme_words() if self.grading else ""

    @property
    def referable(self) -> bool:
        return bool(self.result and self.result.is_referable)

    @property
    def urgent(self) -> bool:
        return bool(self.result and self.result.is_urgent)


@dataclass
class VisitReport:
    visit: Visit
    eyes: list[EyeReport]
    ready: bool  # every photo that was taken has finished grading
    outcome: Outcome
    worse: EyeReport | None

    @property
    def recommendation(self) -> str:
        return str(wording.RECOMMENDATIONS[self.outcome][0])

    @property
    def follow_up(self) -> str:
        return str(wording.RECOMMENDATIONS[self.outcome][1])

    @property
    def model_versions(self) -> list[str]:
        return sorted({e.grading.model_version for e in self.eyes if e.grading})

    @property
    def urgent(self) -> bool:
        return self.outcome == Outcome.REFER_URGENT

    disclaimer = wording.DISCLAIMER
    urgent_words = wording.URGENT


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
