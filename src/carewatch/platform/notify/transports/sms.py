"""SMS through a generic HTTP SMS provider. Value: {"phone": "+919876543210"}.

The provider contract (the operator points SMS_API_URL and SMS_API_TOKEN at a
provider, or at a small adapter in front of one):

    POST {SMS_API_URL}
    Authorization: Bearer {SMS_API_TOKEN}
    Content-Type: application/json

    {"to": "+919876543210", "text": "CareWatch: ...", "reference": "<notification uuid>"}

Any 2xx answer means accepted. 4xx (except 408 and 429) means this message
can never be sent (e.g. an invalid number), so the channel is disabled; 5xx,
408, 429, timeouts and connection errors are retried. `reference` lets the
provider drop duplicates when a retry follows a lost answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from carewatch.platform.lib import http
from carewatch.platform.notify.transports.base import Transport, TransportError, post

if TYPE_CHECKING:
    from carewatch.platform.notify.models import Notification

# Three concatenated GSM segments; longer texts are cut and end with the link.
MAX_LENGTH = 459


def is_configured() -> bool:
    return bool(settings.SMS_API_URL and settings.SMS_API_TOKEN)


def sms_text(notification: Notification) -> str:
    if notification.channel_id is None:  # to a contact: the text as written
        return notification.text[:MAX_LENGTH]
    link = notification.absolute_url()
    text = f"CareWatch: {notification.subject}. {notification.text}".strip()
    room = MAX_LENGTH - (len(link) + 1 if link else 0)
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return f"{text} {link}".strip()


def send_text(phone: str, text: str, reference: str) -> None:
    """One SMS through the provider contract above: the SMS channel and the messages to
    contacts without an account (direct.py) both send through here. Raises TransportError,
    permanent when SMS is not set up or the number is refused."""
    if not is_configured():
        message = _("SMS is not set up on this server (SMS_API_URL and SMS_API_TOKEN).")
        raise TransportError(str(message), permanent=True)
    body = {"to": phone, "text": text[:MAX_LENGTH], "reference": reference}
    headers = {
        "Authorization": f"Bearer {settings.SMS_API_TOKEN}",
        "Content-Type": "application/json",
    }
    post(settings.SMS_API_URL, http.json_bytes(body), headers, trusted=True)


class SmsTransport(Transport):
    kind = "sms"
    label = _("SMS")

    def describe(self) -> str:
        return str(self.channel.value.get("phone", ""))

    def notify(self, notification: Notification) -> None:
        phone = self.channel.value["phone"]
        send_text(phone, sms_text(notification), str(notification.code))
