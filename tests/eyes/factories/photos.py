"""Stored, encrypted photos with their grading, as the grader leaves them."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass

from PIL import Image as PILImage

from carewatch.eyes.screening import crypto
from carewatch.eyes.screening.models import Grading, Image, ImageStatus, Patient, Visit
from carewatch.platform.accounts.models import User
from tests.eyes.factories.reports import MODEL_VERSION
from tests.eyes.helpers import fundus_like, make_visit


def heatmap_png(colour: tuple[int, int, int] = (250, 40, 40)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (64, 64), colour).save(out, "PNG")
    return out.getvalue()


@dataclass(frozen=True)
class Finding:
    """What the grader found in one photo; grade None is an ungradable photo."""

    grade: int | None = 0
    dme_risk: int | None = 0
    referable: bool | None = None  # the model's referable score; None: grade 2 or worse
    urgent: bool | None = None  # the model's vision-threatening flag; None: a bundle before 2.0

    @property
    def gradable(self) -> bool:
        return self.grade is not None


UNGRADABLE = Finding(None, None, None)


def graded_image(
    visit: Visit, eye: str, by: User, grade: int | None, dme_risk: int | None = 0
) -> Image:
    """A stored, encrypted photo with its grading; ungradable when grade is None."""
    return graded_photo(visit, eye, by, Finding(grade, dme_risk if grade is not None else None))


def graded_photo(visit: Visit, eye: str, by: User, finding: Finding) -> Image:
    photo = fundus_like()
    image = Image(
        visit=visit,
        eye=eye,
        content_type="image/jpeg",
        width=400,
        height=400,
        sha256=secrets.token_hex(32),
        uploaded_by=by,
        status=ImageStatus.GRADED if finding.gradable else ImageStatus.UNGRADABLE,
    )
    image.photo.save("p.bin", crypto.encrypted_file(photo), save=False)
    image.thumbnail.save("t.bin", crypto.encrypted_file(photo), save=False)
    image.save()
    grade(image, finding)
    return image


def grade(image: Image, finding: Finding = Finding(2)) -> Grading:
    """The grader's result for a stored photo, with an encrypted heatmap when gradable."""
    grading = Grading(
        image=image,
        model_version=MODEL_VERSION,
        gradable=finding.gradable,
        quality={"brightness": 50.0, "min_side": 400.0},
    )
    if finding.grade is None:
        grading.reason = "too_dark"
    else:
        referable = finding.referable
        grading.grade, grading.dme_risk = finding.grade, finding.dme_risk
        grading.referable = finding.grade >= 2 if referable is None else referable
        grading.referable_probability = 0.9 if grading.referable else 0.1
        if finding.urgent is not None:
            grading.urgent = finding.urgent
            grading.urgent_probability = 0.8 if finding.urgent else 0.05
        grading.heatmap.save("h.bin", crypto.encrypted_file(heatmap_png()), save=False)
    grading.save()
    image.status = ImageStatus.GRADED if finding.gradable else ImageStatus.UNGRADABLE
    image.save(update_fields=["status"])
    return grading


def graded_visit(
    patient: Patient, by: User, right: Finding | None = Finding(), left: Finding | None = Finding()
) -> Visit:
    """A visit whose photos the grader has read (None: no photo of that eye)."""
    visit = make_visit(patient, by)
    for eye, finding in (("right", right), ("left", left)):
        if finding is not None:
            graded_photo(visit, eye, by, finding)
    visit.refresh_status()
    return visit
