"""Huey tasks (autodiscovered by huey.contrib.djhuey): delivery and its retries."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from carewatch.platform.notify import sending


@db_task()
def deliver(notification_id: int) -> None:
    """One attempt; a temporary error schedules this task again after the backoff."""
    delay = sending.deliver_now(notification_id)
    if delay is not None:
        deliver.schedule((notification_id,), delay=delay)


@db_periodic_task(crontab(minute="*"))
def requeue_stuck() -> None:
    """Due retries after an outage, rows the queue lost, sends a killed worker left."""
    for notification_id in sending.due_notifications():
        deliver(notification_id)
