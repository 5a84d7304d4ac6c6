"""Grade a stored photo with the retina engine and keep the result (runs as a task)."""

from __future__ import annotations

import io
import logging
import threading

from django.db import transaction

import retina
from carewatch.eyes.screening import crypto
from carewatch.eyes.screening.models import Grading, Image, ImageStatus

log = logging.getLogger(__name__)
_lock = threading.Lock()
_grader: retina.Grader | None = None


def grader() -> retina.Grader:
    """The bundle, loaded once per process on first use (web processes never pay for it)."""
    global _grader
    with _lock:
        if _grader is None:
            _grader = retina.load_bundle()
        return _grader


def grade_image(image_id: int) -> Grading | None:
    image = Image.objects.select_related("visit").filter(pk=image_id).first()
    if image is None or hasattr(image, "grading"):
        return None  # deleted meanwhile, or already graded (a retried task)
    try:
        result = grader().grade(crypto.read(image.photo))
    except Exception:
        log.exception("grading image %s failed", image_id)
        image.status = ImageStatus.FAILED
        image.save(update_fields=["status"])
        image.visit.refresh_status()
        return None
    return store(image, result)


def store(image: Image, result: retina.GradeResult) -> Grading:
    grading = Grading(
        image=image,
        model_version=result.model_version,
        gradable=result.gradable,
        reason=result.reason,
        quality=result.quality,
    )
    if result.gradable:
        grading.grade = result.grade
        grading.grade_probabilities = result.grade_probabilities
        grading.referable = result.referable
        grading.referable_probability = result.referable_probability
        grading.dme_risk = result.dme_risk
        grading.dme_probabilities = result.dme_probabilities
        grading.heatmap.save("heatmap.bin", crypto.encrypted_file(overlay_png(result)), save=False)
    with transaction.atomic():
        grading.save()
        image.status = ImageStatus.GRADED if result.gradable else ImageStatus.UNGRADABLE
        image.save(update_fields=["status"])
        image.visit.refresh_status()
    return grading


def overlay_png(result: retina.GradeResult) -> bytes:
    from retina.report import heatmap_overlay

    out = io.BytesIO()
    heatmap_overlay(result).save(out, "PNG")
    return out.getvalue()
