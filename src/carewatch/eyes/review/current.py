"""From a screening visit's current gradings to the eyes a review starts from, and from the
signed reports back to the final grades (for screening's research export)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.snapshot import eye_from_grading, missing_eye
from carewatch.eyes.screening.models import Eye, Grading, Image, Visit


def eyes_of(visit: Visit) -> list[dict[str, Any]]:
    """The current photo of each eye with its grading, right eye first. Uses the visit's
    prefetched images when the caller loaded them (the queue does, for many visits)."""
    images = list(visit.images.all())  # newest first: Image's own ordering
    eyes = []
    for side in Eye.values:
        image = next((i for i in images if i.eye == side), None)
        grading: Grading | None = getattr(image, "grading", None)
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
                    model_urgent=grading.urgent,
                )
            )
    return eyes


def with_gradings() -> Prefetch[Any]:
    return Prefetch("images", queryset=Image.objects.select_related("grading"))


def signed_grades(visit_ids: list[int], **_kwargs: Any) -> dict[int, dict[str, Any]]:
    """The doctor's final grades from each visit's latest signed report, by photo id: for
    screening's research export (connected to screening.signals.final_grades)."""
    latest: dict[int, Any] = {}
    for report in SignedReport.objects.filter(visit__in=visit_ids).order_by("visit", "-version"):
        latest.setdefault(report.visit_id, report)
    return {
        eye["image_id"]: eye
        for report in latest.values()
        for eye in report.content.get("eyes", [])
        if eye.get("image_id") and eye.get("gradable")
    }
