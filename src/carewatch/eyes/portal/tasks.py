"""Huey tasks (autodiscovered by huey.contrib.djhuey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from carewatch.eyes.portal import links, reminders


# Ids only: the link's token and the code are made as the message goes out (links.py), so
# the queue's file or Redis never holds a secret that opens the portal.
@db_task(retries=5, retry_delay=60)
def send_portal_link(patient_id: int, by_id: int | None) -> None:
    links.deliver_link(patient_id, by_id)


@db_task(retries=5, retry_delay=60)
def send_portal_code(code_id: int) -> None:
    links.deliver_code(code_id)


@db_periodic_task(crontab(hour="4", minute="0"))
def daily_rescreen_reminders() -> None:
    """04:00 UTC is 09:30 in India (huey's clock is UTC): a reminder read, not slept through.
    A day missed is caught up the next day: everything due and not yet sent goes out."""
    reminders.send_due()
