"""Graded photos and signed reports for the documents tests, stored as the product stores them."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from django.utils import timezone
from PIL import Image as PILImage

from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.snapshot import EyeDecision, decide, eye_from_grading, snapshot
from carewatch.eyes.screening import crypto
from carewatch.eyes.screening.models import Grading, Image, ImageStatus, Visit
from carewatch.platform.accounts.models import User
from tests.eyes.helpers import fundus_like

MODEL_VERSION = "retina-test-1.0.0"
SIGNED_AT = timezone.make_aware(datetime(2026, 11, 20, 10, 30))


def heatmap_png(colour: tuple[int, int, int] = (250, 40, 40)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (64, 64), colour).save(out, "PNG")
    return out.getvalue()


def graded_image(
    visit: Visit, eye: str, by: User, grade: int | None, dme_risk: int | None = 0
) -> Image:
    """A stored, encrypted photo with its grading; ungradable when grade is None."""
    photo = fundus_like()
    image = Image(
        visit=visit,
        eye=eye,
        content_type="image/jpeg",
        width=400,
        height=400,
        sha256="0" * 64,
        uploaded_by=by,
        status=ImageStatus.GRADED if grade is not None else ImageStatus.UNGRADABLE,
    )
    image.photo.save("p.bin", crypto.encrypted_file(photo), save=False)
    image.thumbnail.save("t.bin", crypto.encrypted_file(photo), save=False)
    image.save()
    grading = Grading(image=image, model_version=MODEL_VERSION, gradable=grade is not None)
    if grade is None:
        grading.reason = "The photo is too dark; retake it with more light or a dilated pupil."
    else:
        grading.grade, grading.dme_risk, grading.referable = grade, dme_risk, grade >= 2
        grading.heatmap.save("h.bin", crypto.encrypted_file(heatmap_png()), save=False)
    grading.save()
    return image


def eye_content(image: Image) -> dict[str, Any]:
    g = image.grading
    return eye_from_grading(
        image.eye,
        image.pk,
        gradable=g.gradable,
        reason=g.reason,
        grade=g.grade,
        dme_risk=g.dme_risk,
        model_referable=g.referable,
        quality=g.quality,
        model_version=g.model_version,
    )


def sign(
    visit: Visit,
    doctor: User,
    decisions: dict[str, EyeDecision] | None = None,
    note: str = "",
    version: int = 1,
    amendment_reason: str = "",
) -> SignedReport:
    """A signed version of the visit's current photos, as the review app signs it."""
    eyes = [eye_content(i) for i in visit.current_images().values() if i is not None]
    content = snapshot(eyes, decisions or {}, note)
    decision = decide(content)
    return SignedReport.objects.create(
        visit=visit,
        version=version,
        content=content,
        outcome=decision.outcome,
        referable=decision.referable,
        follow_up_months=decision.follow_up_months,
        signed_by=doctor,
        signer_name="Dr Kavya Rao",
        signed_at=SIGNED_AT,
        amendment_reason=amendment_reason,
    )
