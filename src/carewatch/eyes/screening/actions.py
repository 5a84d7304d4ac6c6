"""Every change to a patient's data at a centre: check, write and audit in one transaction.

Views call these and never write patient data or its audit entry themselves (as Zulip's
do_* actions), so a change is never saved without its entry, nor an entry without it.
"""

from __future__ import annotations

from django.db import transaction

from carewatch.eyes.screening import erasure, visits
from carewatch.eyes.screening.audit import Action, Actor, record
from carewatch.eyes.screening.models import (
    Consent,
    ConsentKind,
    Image,
    Patient,
    Visit,
    new_patient_number,
    record_consent,
)
from carewatch.eyes.screening.uploads import CheckedPhoto
from carewatch.platform.accounts.models import User


class NoConsent(Exception):
    """A visit needs the patient's recorded consent to screening."""


def _staff(actor: Actor) -> User:
    assert actor.user is not None, "staff actions have a signed-in user"
    return actor.user


def do_register_patient(actor: Actor, patient: Patient, research: bool) -> Patient:
    """A new patient at the actor's centre, with their consent to screening and their
    answer about research."""
    with transaction.atomic():
        patient.clinic = actor.clinic
        patient.number = patient.number or new_patient_number(actor.clinic)
        patient.save()
        record_consent(patient, ConsentKind.SCREENING, True, _staff(actor))
        record_consent(patient, ConsentKind.RESEARCH, research, _staff(actor))
        record(actor, Action.PATIENT_REGISTER, patient, obj=patient)
    return patient


def do_record_consent(actor: Actor, patient: Patient, kind: str, given: bool) -> Consent:
    with transaction.atomic():
        consent = record_consent(patient, kind, given, _staff(actor))
        record(actor, Action.CONSENT_RECORD, patient, obj=consent)
    return consent


def do_erase_patient(actor: Actor, patient: Patient, reason: str) -> None:
    """The entry comes first and survives: it keeps the number and the reason."""
    with transaction.atomic():
        record(actor, Action.PATIENT_ERASE, patient, obj=patient, note=reason)
        erasure.erase(patient)


def do_start_visit(actor: Actor, patient: Patient) -> Visit:
    if not patient.has_consent(ConsentKind.SCREENING):
        raise NoConsent(patient.number)
    with transaction.atomic():
        visit = Visit.objects.create(patient=patient, created_by=_staff(actor))
        record(actor, Action.VISIT_START, patient, visit.pk, visit)
    return visit


def do_add_photo(actor: Actor, visit: Visit, eye: str, photo: CheckedPhoto) -> Image:
    """Stored encrypted and queued for grading once the transaction commits."""
    with transaction.atomic():
        image = visits.add_image(visit, eye, photo, _staff(actor))
        record(actor, Action.IMAGE_UPLOAD, visit.patient, visit.pk, image)
    return image
