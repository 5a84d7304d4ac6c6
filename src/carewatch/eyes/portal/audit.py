"""Audit entries for what a patient does: the actor has no account, only a patient number."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from carewatch.eyes.screening import audit
from carewatch.eyes.screening.models import AuditEntry, Patient


def record(
    request: HttpRequest,
    action: str,
    patient: Patient,
    visit_id: int | None = None,
    obj: models.Model | None = None,
) -> AuditEntry:
    return audit.record(request, action, patient, visit_id, obj, by_patient=True)
