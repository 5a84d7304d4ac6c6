"""Changes to a patient's private access and choices: write and audit in one transaction."""

from __future__ import annotations

from django.db import transaction

from carewatch.eyes.portal import links
from carewatch.eyes.portal.models import Preferences
from carewatch.eyes.screening.audit import Action, Actor, record
from carewatch.eyes.screening.models import Patient


def do_set_preferences(
    actor: Actor, patient: Patient, contact_by: str, reminders: bool, language: str
) -> None:
    with transaction.atomic():
        Preferences.objects.update_or_create(
            patient=patient, defaults={"contact_by": contact_by, "reminders": reminders}
        )
        patient.language = language
        patient.save(update_fields=["language"])
        record(actor, Action.PORTAL_PREFERENCES, patient)


def do_send_link(actor: Actor, patient: Patient) -> str | None:
    """A new private link (earlier ones stop working), sent once the transaction commits;
    returns where it went, masked, or None when the patient cannot be reached."""
    with transaction.atomic():
        where = links.send_link(patient, by=actor.user)
        record(actor, Action.PORTAL_LINK, patient, obj=patient)
    return where
