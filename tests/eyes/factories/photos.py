"""Stored, encrypted photos with their grading, as the grader leaves them."""

from __future__ import annotations

import io

from PIL import Image as PILImage

from carewatch.eyes.screening import crypto
from carewatch.eyes.screening.models import Grading, Image, ImageStatus, Visit
from carewatch.platform.accounts.models import User
from tests.eyes.factories.reports import MODEL_VERSION
from tests.eyes.helpers import fundus_like


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
