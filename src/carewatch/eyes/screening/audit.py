"""Write an audit entry for every view, download or change of patient data."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from carewatch.eyes.screening.models import AuditEntry, Patient


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a client can forge X-Forwarded-For, and the proxy sets REMOTE_ADDR
    # through the ASGI server's --proxy-headers when one is in front.
    return request.META.get("REMOTE_ADDR") or None


def record(
    request: HttpRequest,
    action: str,
    patient: Patient | None = None,
    visit_id: int | None = None,
    obj: models.Model | None = None,
    note: str = "",
    *,
    by_patient: bool = False,
) -> AuditEntry:
    """By staff (the signed-in user, at request.clinic) or, with `by_patient`, by the
    patient themselves through their private pages: no account, only their number."""
    if by_patient:
        assert patient is not None, "a patient's own action names the patient"
        clinic, user, who = patient.clinic, None, f"patient {patient.number}"
    else:
        account = request.user
        clinic = request.clinic  # type: ignore[attr-defined]
        user = account if account.is_authenticated else None
        who = getattr(account, "email", "") or "anonymous"
    return AuditEntry.objects.create(
        clinic=clinic,
        user=user,
        who=who,
        action=action,
        patient=patient,
        patient_number=patient.number if patient else "",
        visit_id=visit_id,
        object_type=obj._meta.model_name or "" if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        ip=client_ip(request),
        note=note,
    )
