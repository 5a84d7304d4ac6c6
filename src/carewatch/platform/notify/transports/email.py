"""E-mail through Django's mail (SMTP in production): HTML and plain text, in the
owner's language. Value: {"email": "name@example.com"}. A row whose payload has
"reply_to" (an address) gets that Reply-To header (support answers: replies come back).

A recipient the server refuses with 5xx, or any other 5xx answer, is
permanent; connection problems and 4xx answers (greylisting, a full mailbox)
are retried.
"""

from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from carewatch.platform.notify.transports.base import Transport, TransportError

if TYPE_CHECKING:
    from carewatch.platform.notify.models import Notification


class EmailTransport(Transport):
    kind = "email"
    label = _("E-mail")

    def describe(self) -> str:
        return str(self.channel.value.get("email", ""))

    def notify(self, notification: Notification) -> None:
        message = self.message(notification)
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as error:
            # 5xx: the mailbox does not exist; 4xx: greylisting or a full mailbox, try later.
            codes = [code for code, _ in error.recipients.values()]
            refused = f"The mail server refused the address: {error.recipients}."
            raise TransportError(refused, permanent=min(codes) >= 500) from None
        except smtplib.SMTPResponseException as error:
            answer = f"The mail server answered {error.smtp_code} {error.smtp_error!r}."
            raise TransportError(answer, permanent=error.smtp_code >= 500) from None
        except (smtplib.SMTPException, OSError) as error:
            raise TransportError(f"The mail server could not be reached: {error}.") from None

    def message(self, notification: Notification) -> EmailMultiAlternatives:
        if notification.channel_id is None:
            return contact_message(notification)
        owner = self.channel.owner
        link = notification.absolute_url()
        context = {"notification": notification, "link": link, "owner": owner}
        with translation.override(getattr(owner, "language", "") or settings.LANGUAGE_CODE):
            text = render_to_string("notify/email/message.txt", context)
            html = render_to_string("notify/email/message.html", context)
        prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
        message = EmailMultiAlternatives(
            subject=prefix + notification.subject,
            body=text,
            to=[self.channel.value["email"]],
            headers={"X-CareWatch-Event": notification.event or "message"},
            reply_to=reply_to(notification),
        )
        message.extra_headers.update(extra_headers(notification))
        message.attach_alternative(html, "text/html")
        return message


def extra_headers(notification: Notification) -> dict[str, str]:
    """The sender's extra headers (List-Unsubscribe...), never a second To or From."""
    return {
        str(name): str(value).replace("\r", " ").replace("\n", " ")
        for name, value in (notification.headers or {}).items()
        if str(name).lower() not in ("to", "from", "cc", "bcc", "subject")
    }


def contact_message(notification: Notification) -> EmailMultiAlternatives:
    """To a contact without an account: the text and html exactly as written (already in
    their language, with whatever footer the sender chose)."""
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.text,
        to=[notification.address],
        headers={"X-CareWatch-Event": notification.event or "message"},
        reply_to=reply_to(notification),
    )
    message.extra_headers.update(extra_headers(notification))
    if notification.html:
        message.attach_alternative(notification.html, "text/html")
    return message


def reply_to(notification: Notification) -> list[str]:
    address = notification.payload.get("reply_to") if notification.payload else None
    return [address] if isinstance(address, str) and "@" in address else []
