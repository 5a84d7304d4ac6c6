"""The registry: the one list of channel kinds. Channel.kind's choices are built from it."""

from __future__ import annotations

from carewatch.platform.notify.transports.base import Transport, TransportError
from carewatch.platform.notify.transports.email import EmailTransport
from carewatch.platform.notify.transports.inbox import InboxTransport
from carewatch.platform.notify.transports.push import PushTransport
from carewatch.platform.notify.transports.sms import SmsTransport
from carewatch.platform.notify.transports.webhook import WebhookTransport

TRANSPORTS: dict[str, type[Transport]] = {
    "inbox": InboxTransport,
    "email": EmailTransport,
    "sms": SmsTransport,
    "push": PushTransport,
    "webhook": WebhookTransport,
}

KIND_CHOICES = [(kind, transport.label) for kind, transport in TRANSPORTS.items()]

__all__ = ["KIND_CHOICES", "TRANSPORTS", "Transport", "TransportError"]
