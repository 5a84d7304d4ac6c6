"""Sending: rows first, delivery after commit, retries with backoff, failures disabled.

`send` writes one Notification per channel inside a transaction; only after
the commit is each one handed to the task queue (the inbox is delivered at
once: it is a database row). `deliver_now` makes one Attempt and returns the
delay before the next one when a temporary error deserves a retry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carewatch.platform.notify.inbox import inbox_channel
from carewatch.platform.notify.models import Attempt, Channel, Notification, Status
from carewatch.platform.notify.transports import TRANSPORTS, TransportError

logger = logging.getLogger(__name__)
FINAL = (Status.SENT, Status.FAILED)


@contextmanager
def in_language(user: Any) -> Iterator[None]:
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        yield


def send(
    user: Any,
    subject: Any,
    text: Any,
    *,
    html: str | None = None,
    url: str | None = None,
    event: str = "",
    kinds: Iterable[str] | None = None,
    payload: dict[str, Any] | None = None,
) -> list[Notification]:
    """Tell `user` through each enabled channel (or those of `kinds`). Lazy strings are
    translated into the user's language when the rows are written. Deactivated accounts
    are told nothing."""
    if not user.is_active:
        return []
    inbox_channel(user)
    channels = Channel.objects.filter(owner=user, disabled=False, verified=True)
    channels = channels.select_related("owner")
    if kinds is not None:
        channels = channels.filter(kind__in=list(kinds))
    return send_to(channels, subject, text, html=html, url=url, event=event, payload=payload)


def send_to(
    channels: Iterable[Channel],
    subject: Any,
    text: Any,
    *,
    html: str | None = None,
    url: str | None = None,
    event: str = "",
    payload: dict[str, Any] | None = None,
) -> list[Notification]:
    rows = []
    with transaction.atomic():
        for channel in channels:
            with in_language(channel.owner):
                row = Notification.objects.create(
                    channel=channel,
                    subject=str(subject)[:200],
                    text=str(text),
                    html=html or "",
                    url=url or "",
                    event=event,
                    payload=payload or {},
                )
            rows.append(row)
            inline = TRANSPORTS[channel.kind].inline
            transaction.on_commit(partial(dispatch, row.pk, inline=inline))
    return rows


def dispatch(notification_id: int, *, inline: bool = False) -> None:
    """After commit: deliver now (inbox) or enqueue. A queue outage leaves the row
    pending for `requeue_stuck` to pick up, instead of failing the caller."""
    from carewatch.platform.notify import tasks

    try:
        if inline:
            deliver_now(notification_id)
        else:
            tasks.deliver(notification_id)
    except Exception:
        logger.exception("Could not hand notification %s to the task queue", notification_id)


def deliver_now(notification_id: int) -> int | None:
    """One attempt. Returns the seconds to wait before retrying, or None when done."""
    notification = (
        Notification.objects.select_related("channel__owner").filter(pk=notification_id).first()
    )
    if notification is None or notification.status in FINAL:
        return None
    if notification.channel.disabled or not notification.channel.verified:
        finish(notification, Status.FAILED, "The channel was off or unconfirmed when sending.")
        return None
    attempt = claim(notification)
    if attempt is None:
        return None
    try:
        notification.channel.transport.notify(notification)
    except TransportError as error:
        return failed(notification, attempt, error)
    except Exception as error:
        logger.exception("Transport %s crashed", notification.channel.kind)
        return failed(notification, attempt, TransportError(f"Internal error: {error!r}"))
    succeeded(notification, attempt)
    return None


def claim(notification: Notification) -> Attempt | None:
    """The unique (notification, number) pair lets only one worker make each attempt."""
    number = notification.attempts.count() + 1
    try:
        with transaction.atomic():
            return Attempt.objects.create(notification=notification, number=number)
    except IntegrityError:
        return None


def succeeded(notification: Notification, attempt: Attempt) -> None:
    attempt.finish()
    now = timezone.now()
    finish(notification, Status.SENT, "", sent_at=now)
    Channel.objects.filter(pk=notification.channel_id).update(last_notified=now)


def failed(notification: Notification, attempt: Attempt, error: TransportError) -> int | None:
    attempt.finish(error.message, permanent=error.permanent)
    if error.permanent:
        finish(notification, Status.FAILED, error.message)
        disable_channel(notification.channel, error.message)
        return None
    if attempt.number >= settings.NOTIFY_MAX_ATTEMPTS:
        finish(notification, Status.FAILED, f"Gave up after {attempt.number} attempts: {error}")
        return None
    finish(notification, Status.RETRYING, error.message)
    return retry_delay(attempt.number)


def finish(notification: Notification, status: str, error: str, **fields: Any) -> None:
    notification.status, notification.error = status, error
    for name, value in fields.items():
        setattr(notification, name, value)
    notification.save(update_fields=["status", "error", *fields])


def retry_delay(attempt_number: int) -> int:
    """Exponential backoff: base, 2x base, 4x base... capped."""
    delay = settings.NOTIFY_RETRY_DELAY * 2 ** (attempt_number - 1)
    return int(min(delay, settings.NOTIFY_RETRY_MAX_DELAY))


def disable_channel(channel: Channel, reason: str) -> None:
    """Stop using a channel that cannot work, and say so in its owner's inbox."""
    channel.disable(reason)
    owner = channel.owner
    with in_language(owner):
        subject = _("We stopped sending notifications to “%(name)s”") % {"name": channel}
        text = _(
            "Sending to your %(kind)s channel “%(name)s” failed, so it is turned off: "
            "%(reason)s Check its settings, then turn it on again or add a new channel."
        ) % {"kind": channel.kind_label, "name": channel, "reason": reason}
    send(
        owner,
        subject,
        text,
        url=channel_url(channel),
        event="notify.channel_disabled",
        kinds=["inbox"],
    )


def channel_url(channel: Channel) -> str:
    try:
        return reverse("notify:channel", args=[channel.pk])
    except NoReverseMatch:  # the site's URLconf does not include notify (some tests)
        return ""


STUCK_AFTER = timedelta(minutes=10)


def stuck_notifications() -> list[int]:
    """Rows whose task was lost (a queue outage, a wiped task database): pending ones older
    than STUCK_AFTER, and retrying ones whose retry is overdue by as much."""
    cutoff = timezone.now() - STUCK_AFTER
    overdue = cutoff - timedelta(seconds=settings.NOTIFY_RETRY_MAX_DELAY)
    lost = Q(status=Status.PENDING, created__lt=cutoff) | Q(
        status=Status.RETRYING, last_attempt__lt=overdue
    )
    stuck = Notification.objects.annotate(last_attempt=Max("attempts__finished")).filter(lost)
    return list(stuck.values_list("pk", flat=True)[:500])
