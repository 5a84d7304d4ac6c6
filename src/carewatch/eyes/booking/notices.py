"""The patient's messages about a booking, by e-mail and/or SMS, in the language they
chose when booking (they have no account, so direct.py sends them after commit). Each is a
Notification row about the booking: the desk shows whether the patient was told."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from carewatch.eyes.booking.models import Booking
from carewatch.platform.notify import direct


def when(booking: Booking) -> str:
    return formats.date_format(timezone.localtime(booking.start), "l j F Y, H:i")


def _send(booking: Booking, kind: str) -> None:
    with translation.override(booking.language):
        context = {
            "booking": booking,
            "centre": booking.centre,
            "when": when(booking),
            "link": settings.SITE_URL + booking.get_absolute_url(),
        }
        subjects = {
            "confirmation": _("Your eye screening on %(when)s is booked"),
            "reminder": _("Reminder: your eye screening is tomorrow, %(when)s"),
            "cancelled": _("Your eye screening on %(when)s is cancelled"),
        }
        subject = subjects[kind] % {"when": context["when"]}
        text = render_to_string(f"booking/messages/{kind}.txt", context).strip()
        sms = render_to_string(f"booking/messages/{kind}_sms.txt", context).strip()
    about, event = direct.topic(booking), f"eyes.booking_{kind}"
    if booking.email:
        direct.send_email(booking.email, subject, text, about=about, event=event)
    if booking.phone:
        direct.send_sms(booking.phone, sms, subject=subject, about=about, event=event)


def confirmation(booking: Booking) -> None:
    _send(booking, "confirmation")


def reminder(booking: Booking) -> None:
    _send(booking, "reminder")


def cancelled(booking: Booking) -> None:
    _send(booking, "cancelled")
