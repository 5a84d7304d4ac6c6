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


@db_periodic_task(crontab(minute="*/5"))
def requeue_stuck() -> None:
    for notification_id in sending.stuck_notifications():
        deliver(notification_id)


@db_task()
def send_confirmation(channel_id: int) -> None:
    from carewatch.platform.notify import confirm
    from carewatch.platform.notify.models import Channel

    channel = Channel.objects.filter(pk=channel_id, verified=False).select_related("owner").first()
    if channel is not None:
        confirm.send_confirmation(channel)


@db_task(retries=5, retry_delay=60)
def send_direct_email(to: str, subject: str, text: str, html: str | None) -> None:
    from carewatch.platform.notify import direct

    direct.email_now(to, subject, text, html)


@db_task(retries=5, retry_delay=60)
def send_direct_sms(phone: str, text: str, reference: str) -> None:
    """A refused number is logged and dropped; anything else raises, so huey retries."""
    from carewatch.platform.notify import direct
    from carewatch.platform.notify.transports.base import TransportError

    try:
        direct.sms_now(phone, text, reference)
    except TransportError as error:
        if not error.permanent:
            raise
        direct.logger.warning("SMS to a contact was refused: %s", error.message)
