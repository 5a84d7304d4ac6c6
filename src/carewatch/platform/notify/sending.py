"""Sending: rows first, delivery after commit, retries with backoff, failures disabled.

`send` writes one Notification per channel inside a transaction (`direct` does
the same for a contact without an account); only after the commit is each one
handed to the task queue (the inbox's rows are the message: they are written
delivered, in the same transaction). `deliver_now` claims the row with a
conditional UPDATE, makes one Attempt and returns the delay before the next one
when a temporary error deserves a retry. The row's `next_try` says when it is
due again, so a retry the queue lost, a worker killed mid-send or a queue that
was down is picked up by the periodic `due_notifications` sweep: nothing waits
forever, nothing goes twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from carewatch.platform.notify.inbox import inbox_channel
from carewatch.platform.notify.models import Attempt, Channel, Notification, Status
from carewatch.platform.notify.transports import TRANSPORTS, TransportError

logger = logging.getLogger(__name__)
FINAL = (Status.SENT, Status.FAILED)
OPEN = (Status.PENDING, Status.RETRYING, Status.SENDING)
# A sender that has not finished by then is taken for dead (killed, crashed).
LEASE = timedelta(minutes=5)


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
    topic: str = "",
) -> list[Notification]:
    """Tell `user` through each enabled channel (or those of `kinds`). Lazy strings are
    translated into the user's language when the rows are written. Deactivated accounts
    are told nothing."""
    return send_each(
        [(user, kinds)], subject, text, html=html, url=url, event=event, payload=payload,
        topic=topic,
    )  # fmt: skip


def send_each(
    recipients: Sequence[tuple[Any, Iterable[str] | None]],
    subject: Any,
    text: Any,
    *,
    html: str | None = None,
    url: str | None = None,
    event: str = "",
    payload: dict[str, Any] | None = None,
    topic: str = "",
    enabled: Mapping[int, list[Channel]] | None = None,
) -> list[Notification]:
    """`send` to several users at once, each with the channel kinds wanted (None: all):
    one query for their channels (none when the caller read them: `enabled`, each user's
    enabled and confirmed channels by pk) and one INSERT for all the rows, whatever their
    number, as an alarm to a family waits for it."""
    active = [(user, kinds) for user, kinds in recipients if user.is_active]
    if not active:
        return []
    if enabled is None:
        enabled = enabled_channels([user for user, _ in active])
    channels: list[Channel] = []
    for user, kinds in active:
        wanted = None if kinds is None else set(kinds)
        mine = enabled.get(user.pk, [])
        if not any(channel.kind == "inbox" for channel in mine):
            # made at sign-up; made here for an account that predates it, and looked at
            # for one whose inbox is off (one more query: an SOS's usual path has none)
            inbox = inbox_channel(user)
            if inbox.verified and not inbox.disabled:
                mine = [inbox, *mine]
        channels += [channel for channel in mine if wanted is None or channel.kind in wanted]
    return send_to(
        channels, subject, text, html=html, url=url, event=event, payload=payload, topic=topic
    )


def enabled_channels(users: Sequence[Any]) -> dict[int, list[Channel]]:
    """Each user's enabled and confirmed channels, in one query."""
    found = Channel.objects.filter(owner__in=users, disabled=False, verified=True)
    enabled: dict[int, list[Channel]] = {}
    for channel in found.select_related("owner"):
        enabled.setdefault(channel.owner_id, []).append(channel)
    return enabled


def send_to(
    channels: Iterable[Channel],
    subject: Any,
    text: Any,
    *,
    html: str | None = None,
    url: str | None = None,
    event: str = "",
    payload: dict[str, Any] | None = None,
    topic: str = "",
) -> list[Notification]:
    rows = []
    for channel in channels:
        with in_language(channel.owner):
            rows.append(
                Notification(
                    channel=channel,
                    kind=channel.kind,
                    topic=topic,
                    subject=str(subject)[:200],
                    text=str(text),
                    html=html or "",
                    url=url or "",
                    event=event,
                    payload=payload or {},
                )
            )
    now = timezone.now()
    inline: list[Notification] = []
    queued: list[Notification] = []
    for row in rows:
        (inline if TRANSPORTS[row.kind].inline else queued).append(row)
    for row in inline:
        row.status, row.sent_at = Status.SENT, now
    # One INSERT for every channel (an SOS to a family writes several rows while the
    # alarm waits): all rows or none, as one statement.
    Notification.objects.bulk_create(rows)
    deliver_inline(inline, now)
    for row in queued:
        transaction.on_commit(partial(dispatch, row.pk))
    return rows


def deliver_inline(rows: list[Notification], now: Any) -> None:
    """The inbox's rows are the message: they are delivered in the transaction that writes
    them (written as sent, one successful Attempt each), so they show with what they tell
    of, and an SOS costs no round trips and commits after its own to reach the inbox."""
    if not rows:
        return
    for row in rows:
        row.transport.notify(row)  # nothing to send; a transport may check the row
    # No ids asked back (nobody reads them; ignore_conflicts is the ORM's way to leave
    # RETURNING out, and a first attempt of a row written just now has nothing to clash
    # with): in an alarm's pipelined transaction the INSERT then waits for no answer.
    Attempt.objects.bulk_create(
        (Attempt(notification=row, number=1, started=now, finished=now, ok=True) for row in rows),
        ignore_conflicts=True,
    )
    channel_ids = {row.channel_id for row in rows if row.channel_id is not None}
    Channel.objects.filter(pk__in=channel_ids).update(last_notified=now)


def dispatch(notification_id: int) -> None:
    """After commit: hand the row to the task queue. A queue outage leaves the row
    pending for `requeue_stuck` to pick up, instead of failing the caller."""
    from carewatch.platform.notify import tasks

    try:
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
    channel = notification.channel
    if channel is not None and (channel.disabled or not channel.verified):
        finish(notification, Status.FAILED, "The channel was off or unconfirmed when sending.")
        return None
    attempt = claim(notification)
    if attempt is None:
        return None
    try:
        if not compose(notification):
            attempt.finish("Nothing to send any more: what it was about is gone.", permanent=True)
            finish(notification, Status.FAILED, "What this message was about is gone.")
            return None
        notification.transport.notify(notification)
    except TransportError as error:
        return failed(notification, attempt, error)
    except Exception as error:
        logger.exception("Transport %s crashed", notification.kind)
        return failed(notification, attempt, TransportError(f"Internal error: {error!r}"))
    succeeded(notification, attempt)
    return None


def compose(notification: Notification) -> bool:
    """Fills subject, text and html in memory from the row's composer (never saved: they
    may hold a secret made just now). False when the composer says there is nothing to send."""
    if not notification.compose:
        return True
    message = import_string(notification.compose)(notification)
    if message is None:
        return False
    notification.subject, notification.text, notification.html = message[:3]
    extra = getattr(message, "headers", None)
    if extra:
        notification.headers = {**notification.headers, **extra}
    return True


def claim(notification: Notification) -> Attempt | None:
    """Only one sender at a time: the conditional UPDATE takes an open row (or one whose
    sender's lease lapsed) and marks it as being sent; the attempt number is unique too."""
    now = timezone.now()
    free = Q(status__in=[Status.PENDING, Status.RETRYING]) | Q(
        status=Status.SENDING, next_try__lte=now
    )
    with transaction.atomic():
        rows = Notification.objects.filter(free, pk=notification.pk)
        if not rows.update(status=Status.SENDING, next_try=now + LEASE):
            return None
        number = notification.attempts.count() + 1
        try:
            with transaction.atomic():
                return Attempt.objects.create(notification=notification, number=number)
        except IntegrityError:
            return None


def succeeded(notification: Notification, attempt: Attempt) -> None:
    attempt.finish()
    now = timezone.now()
    finish(notification, Status.SENT, "", sent_at=now, next_try=None)
    if notification.channel_id is not None:
        Channel.objects.filter(pk=notification.channel_id).update(last_notified=now)


def failed(notification: Notification, attempt: Attempt, error: TransportError) -> int | None:
    attempt.finish(error.message, permanent=error.permanent)
    if error.permanent:
        finish(notification, Status.FAILED, error.message, next_try=None)
        if notification.channel is not None:
            disable_channel(notification.channel, error.message)
        return None
    if attempt.number >= settings.NOTIFY_MAX_ATTEMPTS:
        gave_up = f"Gave up after {attempt.number} attempts: {error}"
        finish(notification, Status.FAILED, gave_up, next_try=None)
        return None
    delay = retry_delay(attempt.number)
    next_try = timezone.now() + timedelta(seconds=delay)
    finish(notification, Status.RETRYING, error.message, next_try=next_try)
    return delay


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


# The queue runs a due retry itself; the sweep steps in only once it is this late.
STUCK_AFTER = timedelta(minutes=1)


def due_notifications(now: Any = None) -> list[int]:
    """Rows whose task was lost (a queue outage, a wiped task database, a killed worker):
    open ones whose next try, or whose sender's lease, is overdue by STUCK_AFTER."""
    cutoff = (now or timezone.now()) - STUCK_AFTER
    due = Notification.objects.filter(status__in=OPEN, next_try__lte=cutoff)
    return list(due.order_by("next_try").values_list("pk", flat=True)[:500])
