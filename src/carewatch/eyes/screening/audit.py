"""The audit log: who saw or changed which patient's data, from one list of action names.

Reads are recorded by the view that shows them; every change is recorded by its `do_*`
action (screening/actions.py, booking/actions.py, review/signing.py, portal/actions.py),
in the same transaction as the change, so a change is never saved without its entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.http import HttpRequest

from carewatch.eyes.screening.models import AuditEntry, Patient
from carewatch.platform.accounts.models import Clinic, User


class Action(StrEnum):
    """Every audit action name; AuditEntry.action holds the value."""

    # Staff reading
    PATIENT_SEARCH = "patient.search"
    PATIENT_VIEW = "patient.view"
    VISIT_VIEW = "visit.view"
    VISIT_RESULTS = "visit.results"
    IMAGE_VIEW = "image.view"
    IMAGE_THUMBNAIL = "image.thumbnail"
    IMAGE_HEATMAP = "image.heatmap"
    REPORT_VIEW = "report.view"
    REPORT_VIEW_SIGNED = "report.view_signed"
    REPORT_DOWNLOAD = "report.download"
    REFERRAL_DOWNLOAD = "referral.download"
    REPORT_EXPORT_FHIR = "report.export_fhir"
    REVIEW_QUEUE = "review.queue"
    REVIEW_VIEW = "review.view"
    DESK_VIEW = "desk.view"
    AUDIT_VIEW = "audit.view"
    RESEARCH_EXPORT = "research.export"
    # Staff changing patient data (each through its do_* action)
    PATIENT_REGISTER = "patient.register"
    CONSENT_RECORD = "consent.record"
    PATIENT_ERASE = "patient.erase"
    VISIT_START = "visit.start"
    IMAGE_UPLOAD = "image.upload"
    REPORT_SIGN = "report.sign"
    REPORT_AMEND = "report.amend"
    BOOKING_ARRIVE = "booking.arrive"
    BOOKING_WALK_IN = "booking.walk_in"
    PORTAL_LINK = "portal.link"
    # The patient, on their private pages
    PORTAL_LOGIN = "portal.login"
    PORTAL_VIEW = "portal.view"
    PORTAL_DOWNLOAD = "portal.download"
    PORTAL_PREFERENCES = "portal.preferences"


@dataclass(frozen=True)
class Actor:
    """Who acts, at which centre, from where: staff, or a patient without an account."""

    clinic: Clinic
    user: User | None
    who: str
    ip: str | None


def by_staff(request: HttpRequest, clinic: Clinic) -> Actor:
    user = request.user if isinstance(request.user, User) else None
    return Actor(clinic, user, user.email if user else "anonymous", client_ip(request))


def by_patient(request: HttpRequest, patient: Patient) -> Actor:
    """The patient on their private pages: no account, only their number."""
    return Actor(patient.clinic, None, f"patient {patient.number}", client_ip(request))


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a client can forge X-Forwarded-For, and the proxy sets REMOTE_ADDR
    # through the ASGI server's --proxy-headers when one is in front.
    return request.META.get("REMOTE_ADDR") or None


def record(
    actor: Actor,
    action: Action,
    patient: Patient | None = None,
    visit_id: int | None = None,
    obj: models.Model | None = None,
    note: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        clinic=actor.clinic,
        user=actor.user,
        who=actor.who,
        action=action,
        patient=patient,
        patient_number=patient.number if patient else "",
        visit_id=visit_id,
        object_type=obj._meta.model_name or "" if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        ip=actor.ip,
        note=note,
    )
