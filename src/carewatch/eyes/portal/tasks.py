"""Huey tasks (autodiscovered by huey.contrib.djhuey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from carewatch.eyes.portal import reminders


@db_periodic_task(crontab(hour="9", minute="30"))
def daily_rescreen_reminders() -> None:
    """Mid-morning local time: a reminder is read, not slept through."""
    reminders.send_due()
