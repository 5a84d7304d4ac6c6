"""Messages to a contact who has no account (a screening patient, a guest buyer).

Channels belong to accounts; a patient booked at a centre has only an e-mail
address or a phone number. These helpers send through the same SMTP settings
and the same SMS provider contract as the channels (see transports/sms.py),
from the task queue, with retries: a slow provider never holds up a page.
"""

from __future__ import annotations

import logging
import uuid

from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from carewatch.platform.notify.transports import sms

logger = logging.getLogger(__name__)


def email_now(to: str, subject: str, text: str, html: str | None = None) -> None:
    mail = EmailMultiAlternatives(subject, text, to=[to])
    if html:
        mail.attach_alternative(html, "text/html")
    mail.send()


def sms_now(phone: str, text: str, reference: str) -> None:
    """Raises TransportError like the SMS channel: permanent for a refused number."""
    sms.send_text(phone, text, reference)


def send_email(to: str, subject: str, text: str, html: str | None = None) -> None:
    """Queue an e-mail after the current transaction commits (nothing goes out for a
    rolled-back booking). Strings must already be in the recipient's language."""
    from carewatch.platform.notify import tasks

    args = (to, str(subject), str(text), html)
    transaction.on_commit(lambda: tasks.send_direct_email(*args))


def send_sms(phone: str, text: str) -> str:
    """Queue an SMS after commit; returns the reference the provider uses to drop repeats."""
    from carewatch.platform.notify import tasks

    reference = str(uuid.uuid4())
    args = (phone, str(text), reference)
    transaction.on_commit(lambda: tasks.send_direct_sms(*args))
    return reference
