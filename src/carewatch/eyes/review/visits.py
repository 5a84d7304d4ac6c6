"""From a screening visit's current gradings to the eyes a review starts from."""

from __future__ import annotations

from typing import Any

from carewatch.eyes.review.snapshot import eye_from_grading, missing_eye
from carewatch.eyes.screening.models import Eye, Grading, Visit


def eyes_of(visit: Visit) -> list[dict[str, Any]]:
    """The current photo of each eye with its grading, right eye first."""
    eyes = []
    for side in Eye.values:
        image = visit.current_image(side)
        grading = Grading.objects.filter(image=image).first() if image else None
        if image is None:
            eyes.append(missing_eye(side))
        elif grading is None:
            eyes.append(eye_from_grading(side, image.pk, gradable=False, reason=image.warning))
        else:
            eyes.append(
                eye_from_grading(
                    side,
                    image.pk,
                    gradable=grading.gradable,
                    reason=grading.reason,
                    grade=grading.grade,
                    dme_risk=grading.dme_risk,
                    model_referable=grading.referable,
                    quality=grading.quality,
                    model_version=grading.model_version,
                )
            )
    return eyes
