"""Reaching a patient who has no account: by SMS or e-mail, in their language. Every
message is a Notification row about the patient (staff see on the patient's page whether
it went); one that carries a secret is composed when it is sent (see notify.direct)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from carewatch.eyes.portal import access
from carewatch.eyes.portal.models import Contact, preferences_of
from carewatch.eyes.screening.models import Patient
from carewatch.platform.notify import direct
from carewatch.platform.notify.transports import sms


def channel_for(patient: Patient) -> str | None:
    """The patient's choice when we can honour it, else whatever reaches them at all."""
    prefers_sms = preferences_of(patient).contact_by == Contact.SMS
    if patient.phone and (prefers_sms or not patient.email) and sms.is_configured():
        return Contact.SMS
    if patient.email:
        return Contact.EMAIL
    return Contact.SMS if patient.phone else None


def tell(
    patient: Patient,
    subject: str,
    text: str = "",
    *,
    event: str = "",
    compose: str = "",
    payload: dict[str, Any] | None = None,
) -> str | None:
    """Queues the message (after commit); returns where it goes, masked, or None when the
    patient has no phone or e-mail at all. Call inside translation.override(language).
    With `compose`, the text is built when sending (it receives the row, `payload` too)."""
    channel = channel_for(patient)
    extra: dict[str, Any] = {"about": direct.topic(patient), "event": event}
    extra |= {"compose": compose, "payload": {"patient": patient.pk, **(payload or {})}}
    if channel == Contact.SMS:
        direct.send_sms(patient.phone, text, subject=subject, **extra)
        return access.mask_phone(patient.phone)
    if channel == Contact.EMAIL:
        direct.send_email(patient.email, subject, text, **extra)
        return access.mask_email(patient.email)
    return None


def in_language(patient: Patient) -> translation.override:
    return translation.override(patient.language or "en")
