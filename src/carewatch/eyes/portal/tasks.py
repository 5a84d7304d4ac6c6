"""Huey tasks (autodiscovered by huey.contrib.djhuey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from carewatch.eyes.portal import reminders


@db_periodic_task(crontab(hour="4", minute="0"))
def daily_rescreen_reminders() -> None:
    """04:00 UTC is 09:30 in India (huey's clock is UTC): a reminder read, not slept through.
    A day missed is caught up the next day: everything due and not yet sent goes out."""
    reminders.send_due()
