"""What happens on the patient side when a report is signed or a new visit starts."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from carewatch.eyes.portal import links, reminders
from carewatch.eyes.review.signals import report_signed
from carewatch.eyes.screening.models import Patient, Visit
from carewatch.platform.notify import direct

logger = logging.getLogger(__name__)


@receiver(report_signed)
def report_ready(sender: Any, report: Any, **kwargs: Any) -> None:
    """Sent after the signing commits: a new private link (an amendment sends one too, so the
    patient hears that their report changed), and the rescreen reminder re-planned."""
    # The report is already signed and committed: a failure here must not turn the doctor's
    # page into an error. It is logged; staff can send the link again from the patient page.
    try:
        reminders.plan(report)
        links.send_link(report.visit.patient)
    except Exception:
        logger.exception("The patient side of signed report %s failed.", report.pk)


@receiver(post_save, sender=Visit)
def screened_again(sender: Any, instance: Visit, created: bool, **kwargs: Any) -> None:
    if created:
        reminders.cancel_for_new_visit(instance)


@receiver(post_delete, sender=Patient, dispatch_uid="portal_forget_patient_messages")
# A lazy sender: the booking app may not be installed.
@receiver(post_delete, sender="booking.Booking", dispatch_uid="portal_forget_booking_messages")
def forget_messages(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An erased patient's messages (their address, what they were told) go with them."""
    direct.forget(instance)
