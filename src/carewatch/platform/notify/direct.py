"""Messages to a contact who has no account (a screening patient, a guest buyer, a person
invited or signing up).

Channels belong to accounts; a patient booked at a centre has only an e-mail
address or a phone number. These go the same road as every notification: a
Notification row (kind + address instead of a channel) is written first, and
after the commit the task queue sends it with the channel transports, their
retries and backoff, and the periodic sweep for anything the queue lost.

A message that carries a secret (a one-time code, a link token) is not written
out: pass `compose`, the dotted path of a function taking the Notification and
returning a `Message` (or None when there is nothing to send any more); it runs
at each attempt, so the secret is made when the message goes and only ids sit
in the row's `payload` and in the queue. A `Message` may carry extra e-mail headers
(List-Unsubscribe for a mailing); `headers` on send_email stores fixed ones in the row.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db import models, transaction

from carewatch.platform.notify.models import Notification
from carewatch.platform.notify.transports.base import TransportError

__all__ = [
    "Message",
    "MessageWithHeaders",
    "TransportError",
    "forget",
    "send_email",
    "send_sms",
    "topic",
]


class Message(NamedTuple):
    subject: str
    text: str
    html: str = ""


class MessageWithHeaders(NamedTuple):
    """A Message with extra e-mail headers, added when sending and never stored."""

    subject: str
    text: str
    html: str
    headers: dict[str, str]


def topic(obj: models.Model) -> str:
    """What a message is about, as staff pages look it up: "screening.patient:12"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def forget(obj: models.Model) -> int:
    """Deletes the messages about `obj` (on erasure: they hold the contact's address)."""
    return Notification.objects.filter(topic=topic(obj)).delete()[0]


def send_email(
    to: str,
    subject: Any,
    text: Any = "",
    html: str | None = None,
    *,
    about: str = "",
    event: str = "",
    compose: str = "",
    payload: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Notification:
    """Queue an e-mail after the current transaction commits (nothing goes out for a
    rolled-back booking). Strings must already be in the recipient's language."""
    return _queue("email", to, subject, text, html, about, event, compose, payload, headers)


def send_sms(
    phone: str,
    text: Any = "",
    *,
    subject: Any = "",
    about: str = "",
    event: str = "",
    compose: str = "",
    payload: dict[str, Any] | None = None,
) -> Notification:
    """Queue an SMS after commit; the row's `code` is the reference the provider uses to
    drop repeats. `subject` only labels it in staff lists (the text when not given)."""
    subject = subject or text
    return _queue("sms", phone, subject, text, None, about, event, compose, payload)


def _queue(
    kind: str,
    address: str,
    subject: Any,
    text: Any,
    html: str | None,
    about: str,
    event: str,
    compose: str,
    payload: dict[str, Any] | None,
    headers: dict[str, str] | None = None,
) -> Notification:
    from carewatch.platform.notify.sending import dispatch

    row = Notification.objects.create(
        kind=kind,
        address=address,
        subject=str(subject)[:200],
        text="" if compose else str(text),
        html=html or "",
        topic=about,
        event=event,
        compose=compose,
        payload=payload or {},
        headers=headers or {},
    )
    transaction.on_commit(lambda: dispatch(row.pk))
    return row
