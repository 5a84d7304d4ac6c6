"""Web push to a browser (RFC 8030/8291/8292). Value: the browser's subscription,
{"endpoint": "https://...", "keys": {"p256dh": "...", "auth": "..."}}.

pywebpush encrypts the payload (aes128gcm) and py_vapid signs the VAPID JWT;
the POST itself goes through lib.http like every other outgoing request, so
endpoints get the same timeouts and private-address refusal. The service
worker receives JSON {"title", "body", "url", "tag"} (the site's /sw.js shows it).
A 404 or 410 answer means the subscription is gone, which disables the channel.
"""

from __future__ import annotations

import binascii
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _
from pywebpush import WebPusher, WebPushException

from carewatch.platform.lib import http
from carewatch.platform.notify import vapid
from carewatch.platform.notify.transports.base import Transport, TransportError, post

if TYPE_CHECKING:
    from carewatch.platform.notify.models import Notification

# Push services accept 4 KiB of encrypted payload; leave room for the JSON around it.
MAX_BODY_CHARS = 1000
TTL_SECONDS = 24 * 3600


def push_payload(notification: Notification) -> bytes:
    return http.json_bytes(
        {
            "title": notification.subject,
            "body": notification.text[:MAX_BODY_CHARS],
            "url": notification.absolute_url(),
            "tag": notification.event or str(notification.code),
        }
    )


class PushTransport(Transport):
    kind = "push"
    label = _("Browser push")

    def describe(self) -> str:
        return urlsplit(str(self.channel.value.get("endpoint", ""))).netloc

    def notify(self, notification: Notification) -> None:
        subscription = self.channel.value
        body = self.encrypt(subscription, push_payload(notification))
        parts = urlsplit(subscription["endpoint"])
        headers = vapid.auth_headers(f"{parts.scheme}://{parts.netloc}") | {
            "TTL": str(TTL_SECONDS),
            "Urgency": "high",
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
        }
        post(subscription["endpoint"], body, headers)

    def encrypt(self, subscription: dict[str, object], data: bytes) -> bytes:
        try:
            return bytes(WebPusher(subscription).encode(data, "aes128gcm")["body"])
        except (WebPushException, ValueError, KeyError, TypeError, binascii.Error) as error:
            message = f"The browser subscription is not usable: {error}."
            raise TransportError(message, permanent=True) from None
