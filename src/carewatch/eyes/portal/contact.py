"""Reaching a patient who has no account: by SMS or e-mail, in their language."""

from __future__ import annotations

import logging
import uuid

from django.utils import translation

from carewatch.eyes.portal import access
from carewatch.eyes.portal.models import Contact, preferences_of
from carewatch.eyes.screening.models import Patient
from carewatch.platform.notify import direct
from carewatch.platform.notify.transports import sms
from carewatch.platform.notify.transports.base import TransportError

logger = logging.getLogger(__name__)


def channel_for(patient: Patient) -> str | None:
    """The patient's choice when we can honour it, else whatever reaches them at all."""
    prefers_sms = preferences_of(patient).contact_by == Contact.SMS
    if patient.phone and (prefers_sms or not patient.email) and sms.is_configured():
        return Contact.SMS
    if patient.email:
        return Contact.EMAIL
    return Contact.SMS if patient.phone else None


def tell(patient: Patient, subject: str, text: str) -> str | None:
    """Queues the message (after commit); returns where it goes, masked, or None when the
    patient has no phone or e-mail at all. Call inside translation.override(language)."""
    channel = channel_for(patient)
    if channel == Contact.SMS:
        direct.send_sms(patient.phone, text)
        return access.mask_phone(patient.phone)
    if channel == Contact.EMAIL:
        direct.send_email(patient.email, subject, text)
        return access.mask_email(patient.email)
    return None


def where(patient: Patient) -> str | None:
    """Where a message would go, masked; None when the patient cannot be reached."""
    channel = channel_for(patient)
    if channel == Contact.SMS:
        return access.mask_phone(patient.phone)
    if channel == Contact.EMAIL:
        return access.mask_email(patient.email)
    return None


def tell_now(patient: Patient, subject: str, text: str) -> None:
    """Sends at once, from a task: for messages carrying a secret, which must never wait
    in the queue. A temporary failure raises (the task retries and makes a new secret);
    a refused number is logged and dropped, as the queued SMS does."""
    channel = channel_for(patient)
    if channel == Contact.EMAIL:
        direct.email_now(patient.email, subject, text)
    elif channel == Contact.SMS:
        try:
            direct.sms_now(patient.phone, text, str(uuid.uuid4()))
        except TransportError as error:
            if not error.permanent:
                raise
            logger.warning("SMS to patient %s was refused: %s", patient.pk, error.message)


def in_language(patient: Patient) -> translation.override:
    return translation.override(patient.language or "en")
