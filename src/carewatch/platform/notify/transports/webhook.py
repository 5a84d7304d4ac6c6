"""Webhook: a signed JSON POST to a URL the user gave. Value: {"url", "secret"}.

The receiver checks the request came from us and is fresh:

    X-CareWatch-Timestamp: 1795430400
    X-CareWatch-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
    X-CareWatch-Event: kids.sos
    X-CareWatch-Delivery: <notification uuid, the same on every retry>

The body is {"id", "event", "subject", "text", "url", "payload", "created"}.
Reject a timestamp older than five minutes, compare signatures in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from carewatch.platform.lib import http
from carewatch.platform.notify.transports.base import Transport, post

if TYPE_CHECKING:
    from carewatch.platform.notify.models import Notification


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    signed = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def webhook_body(notification: Notification) -> dict[str, object]:
    return {
        "id": str(notification.code),
        "event": notification.event,
        "subject": notification.subject,
        "text": notification.text,
        "url": notification.absolute_url(),
        "payload": notification.payload,
        "created": notification.created.isoformat(),
    }


class WebhookTransport(Transport):
    kind = "webhook"
    label = _("Webhook")

    def describe(self) -> str:
        return urlsplit(str(self.channel.value.get("url", ""))).netloc

    def notify(self, notification: Notification) -> None:
        body = http.json_bytes(webhook_body(notification))
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-CareWatch-Timestamp": timestamp,
            "X-CareWatch-Signature": signature(self.channel.value["secret"], timestamp, body),
            "X-CareWatch-Event": notification.event or "message",
            "X-CareWatch-Delivery": str(notification.code),
        }
        post(self.channel.value["url"], body, headers)
