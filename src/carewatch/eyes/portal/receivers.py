"""What happens on the patient side when a report is signed or a new visit starts."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from carewatch.eyes.portal import links, reminders
from carewatch.eyes.review.signals import report_signed
from carewatch.eyes.screening.models import Visit


@receiver(report_signed)
def report_ready(sender: Any, report: Any, **kwargs: Any) -> None:
    """Sent after the signing commits: a new private link (an amendment sends one too, so the
    patient hears that their report changed), and the rescreen reminder re-planned."""
    reminders.plan(report)
    links.send_link(report.visit.patient)


@receiver(post_save, sender=Visit)
def screened_again(sender: Any, instance: Visit, created: bool, **kwargs: Any) -> None:
    if created:
        reminders.cancel_for_new_visit(instance)
