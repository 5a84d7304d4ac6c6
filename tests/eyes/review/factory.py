"""Visits graded without running the grader: the review works from stored gradings only."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from carewatch.eyes.screening.models import Grading, Image, ImageStatus, Patient, Visit
from carewatch.platform.accounts.models import User
from tests.eyes.helpers import make_visit

MODEL_VERSION = "test-bundle-1"


@dataclass(frozen=True)
class Finding:
    grade: int | None = 0
    dme_risk: int | None = 0
    referable: bool | None = False

    @property
    def gradable(self) -> bool:
        return self.grade is not None


UNGRADABLE = Finding(None, None, None)


def add_graded_photo(visit: Visit, eye: str, finding: Finding, by: User) -> Image:
    image = Image.objects.create(
        visit=visit,
        eye=eye,
        photo="eyes/none.bin",
        thumbnail="eyes/none.bin",
        content_type="image/jpeg",
        width=512,
        height=512,
        sha256=secrets.token_hex(32),
        status=ImageStatus.GRADED if finding.gradable else ImageStatus.UNGRADABLE,
        uploaded_by=by,
    )
    Grading.objects.create(
        image=image,
        model_version=MODEL_VERSION,
        gradable=finding.gradable,
        reason="" if finding.gradable else "Too dark: take the photo again.",
        grade=finding.grade,
        dme_risk=finding.dme_risk,
        referable=finding.referable,
        quality={"brightness": 0.5},
    )
    return image


def graded_visit(
    patient: Patient, by: User, right: Finding | None = Finding(), left: Finding | None = Finding()
) -> Visit:
    visit = make_visit(patient, by)
    for eye, finding in (("right", right), ("left", left)):
        if finding is not None:
            add_graded_photo(visit, eye, finding, by)
    visit.refresh_status()
    return visit
