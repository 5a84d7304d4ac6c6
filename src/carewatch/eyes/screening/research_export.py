"""Which photos go into a centre's research export, and their grades (research.py strips
everything that identifies). Only patients whose latest research consent says yes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from django.conf import settings
from django.db.models import OuterRef, Subquery

from carewatch.eyes.screening import crypto, research, signals
from carewatch.eyes.screening.models import Consent, ConsentKind, Image, ImageStatus, Patient
from carewatch.platform.accounts.models import Clinic


def consenting_patients(clinic: Clinic) -> Any:
    decisions = Consent.objects.filter(patient=OuterRef("pk"), kind=ConsentKind.RESEARCH)
    latest = decisions.order_by("-recorded_at", "-id").values("given")[:1]
    return Patient.objects.filter(clinic=clinic).annotate(research=Subquery(latest))


def photos_for(clinic: Clinic) -> list[tuple[research.EyePhoto, Image]]:
    """The latest gradable photo of each eye at each visit, oldest visit first."""
    patients = consenting_patients(clinic).filter(research=True)
    images = (
        Image.objects.filter(
            visit__patient__in=patients, status=ImageStatus.GRADED, grading__gradable=True
        )
        .select_related("grading", "visit__patient")
        .order_by("visit__patient", "visit__date", "visit", "eye", "-created", "-id")
    )
    chosen: dict[tuple[int, str], Image] = {}
    for image in images:
        chosen.setdefault((image.visit_id, image.eye), image)  # the first is the latest
    signed = signed_grades([image.visit_id for image in chosen.values()])
    numbers: dict[int, dict[int, int]] = {}  # patient -> visit -> 1, 2, ...
    result = []
    for image in chosen.values():
        visits = numbers.setdefault(image.visit.patient_id, {})
        visits.setdefault(image.visit_id, len(visits) + 1)
        result.append((eye_photo(image, visits[image.visit_id], signed.get(image.pk)), image))
    return result


def eye_photo(image: Image, visit_number: int, final: dict[str, Any] | None) -> research.EyePhoto:
    patient, grading = image.visit.patient, image.grading
    return research.EyePhoto(
        patient_id=patient.pk,
        born=patient.date_of_birth,
        sex=patient.sex,
        diabetes_type=patient.diabetes_type,
        diabetes_since=patient.diabetes_since,
        visit_date=image.visit.date,
        visit=visit_number,
        eye=image.eye,
        ai_grade=grading.grade,
        final_grade=final["grade"] if final else None,
        dme_risk=final["dme_risk"] if final else grading.dme_risk,
        referable=final["referable"] if final else grading.referable,
        model_version=grading.model_version,
        content_type=image.content_type,
    )


def signed_grades(visit_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The doctor's final grades, by photo id (from review, when it is installed)."""
    return signals.merged(signals.final_grades, visit_ids=visit_ids)


def write_export(clinic: Clinic, out: IO[bytes]) -> tuple[int, int]:
    """Writes the zip; returns (photos, patients)."""
    key = research.export_key(settings.SECRET_KEY, clinic.pk)
    photos = photos_for(clinic)

    def rows() -> Iterator[tuple[dict[str, str], bytes]]:
        for photo, image in photos:  # decrypted one at a time: the zip goes to a file
            data = research.without_metadata(crypto.read(image.photo), image.content_type)
            yield research.row_for(photo, key), data

    count = research.write_zip(out, rows())
    return count, len({photo.patient_id for photo, _ in photos})
