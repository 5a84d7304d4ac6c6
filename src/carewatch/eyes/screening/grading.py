"""Grade a stored photo with the retina engine and keep the result (runs as a task).

A worker claims the photo first (a conditional UPDATE of `grading_started`), so a task
queued twice grades it once. A worker killed while grading leaves the photo "Waiting to
be graded" with an old claim: `stuck_images` finds it (and photos whose task the queue
lost) for the periodic sweep in tasks.py, and the next worker's claim succeeds.
"""

from __future__ import annotations

import io
import logging
import threading
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

import retina
from carewatch.eyes.screening import crypto
from carewatch.eyes.screening.models import Grading, Image, ImageStatus

log = logging.getLogger(__name__)
_lock = threading.Lock()
_grader: retina.Grader | None = None
# Grading takes seconds; a claim this old belongs to a worker that died.
LEASE = timedelta(minutes=10)
# A photo nobody claimed for this long lost its task (a queue outage, a wiped queue).
UNCLAIMED_AFTER = timedelta(minutes=10)


def grader() -> retina.Grader:
    """The bundle, loaded once per process on first use (web processes never pay for it)."""
    global _grader
    with _lock:
        if _grader is None:
            _grader = retina.load_bundle()
        return _grader


def grade_image(image_id: int) -> Grading | None:
    if not claim(image_id):
        return None  # deleted, graded, or being graded by a live worker
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


def claim(image_id: int, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    free = Q(grading_started__isnull=True) | Q(grading_started__lt=now - LEASE)
    waiting = Image.objects.filter(free, pk=image_id, status=ImageStatus.QUEUED)
    return bool(waiting.update(grading_started=now))


def stuck_images(now: datetime | None = None) -> list[int]:
    """Photos still waiting whose worker died (an old claim) or whose task was lost."""
    now = now or timezone.now()
    lost = Q(grading_started__isnull=True, created__lt=now - UNCLAIMED_AFTER)
    died = Q(grading_started__lt=now - LEASE)
    waiting = Image.objects.filter(lost | died, status=ImageStatus.QUEUED, grading=None)
    return list(waiting.values_list("pk", flat=True)[:200])


def store(image: Image, result: retina.GradeResult) -> Grading:
    grading = Grading(
        image=image,
        model_version=result.model_version,
        gradable=result.gradable,
        reason=result.reason,
        quality=result.quality,
        profile=result.profile,
    )
    if result.gradable:
        grading.grade = result.grade
        grading.grade_probabilities = result.grade_probabilities
        grading.referable = result.referable
        grading.referable_probability = result.referable_probability
        grading.dme_risk = result.dme_risk
        grading.dme_probabilities = result.dme_probabilities
        grading.urgent = result.urgent
        grading.urgent_probability = result.urgent_probability
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
