"""Audit entries for what a patient does: the actor has no account, only a patient number."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from carewatch.eyes.screening.audit import client_ip
from carewatch.eyes.screening.models import AuditEntry, Patient


def record(
    request: HttpRequest,
    action: str,
    patient: Patient,
    visit_id: int | None = None,
    obj: models.Model | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        clinic=patient.clinic,
        user=None,
        who=f"patient {patient.number}",
        action=action,
        patient=patient,
        patient_number=patient.number,
        visit_id=visit_id,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        ip=client_ip(request),
    )
