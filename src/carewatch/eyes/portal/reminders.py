"""Rescreen reminders: planned from a signed report, sent once when due, cancelled when the
patient is screened again (or erased: the rows go with the patient)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carewatch.eyes.portal import contact
from carewatch.eyes.portal.models import Reminder, preferences_of
from carewatch.eyes.portal.planning import add_months
from carewatch.eyes.screening.models import Visit

logger = logging.getLogger(__name__)

# The public centre finder (the booking pages): the reminder asks the patient to book there.
CENTRE_FINDER = "/eyes/centres/"


def pending(**filters: Any) -> Any:
    return Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True, **filters)


def plan(report: Any, now: dt.datetime | None = None) -> Reminder | None:
    """Called for every signed version: the latest version of the latest visit decides."""
    now = now or timezone.now()
    visit: Visit = report.visit
    if Visit.objects.filter(patient=visit.patient_id, date__gt=visit.date).exists():
        return None  # already screened again: an old visit's amendment plans nothing
    with transaction.atomic():
        earlier = pending(patient=visit.patient_id, visit__date__lte=visit.date)
        earlier.update(cancelled_at=now, cancel_reason="re-planned from a newer report")
        if not report.follow_up_months:
            return None  # a referral: the eye doctor sets the next date, not a reminder
        return Reminder.objects.create(
            patient_id=visit.patient_id,
            visit=visit,
            report_version=report.version,
            months=report.follow_up_months,
            due_on=add_months(visit.date, report.follow_up_months),
            created=now,
        )


def cancel_for_new_visit(visit: Visit, now: dt.datetime | None = None) -> int:
    stale = pending(patient=visit.patient_id).exclude(visit=visit)
    return stale.update(cancelled_at=now or timezone.now(), cancel_reason="screened again")


def send_due(now: dt.datetime | None = None) -> int:
    """Sends each due reminder once (claimed by a conditional update), honouring the
    patient's choice to have no reminders. Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    due = pending(due_on__lte=timezone.localdate(now)).select_related("patient__clinic")
    for reminder in due:
        with transaction.atomic():
            if not preferences_of(reminder.patient).reminders:
                pending(pk=reminder.pk).update(cancelled_at=now, cancel_reason="turned off")
                continue
            if pending(pk=reminder.pk).update(sent_at=now) == 1:
                sent += bool(send_one(reminder))
    return sent


def send_one(reminder: Reminder) -> str | None:
    patient = reminder.patient
    with contact.in_language(patient):
        subject = _("Time for your eye screening")
        text = _(
            "It is time for your eye screening at %(centre)s or any centre near you. "
            "Find a centre and book a visit: %(url)s"
        ) % {"centre": patient.clinic.name, "url": settings.SITE_URL + CENTRE_FINDER}
        where = contact.tell(patient, subject, text, event="eyes.rescreen_reminder")
    if where is None:
        logger.warning("Patient %s has no phone or e-mail for their reminder.", patient.pk)
    return where
