"""Subscribing (double opt-in), confirming and unsubscribing; the signed links for both.

A token is signed with the site's secret over the subscriber's id and address, with a
salt per purpose: nobody can make one for another subscriber, and an unsubscribe token
cannot confirm (or the other way round). Unsubscribe tokens never expire: an old e-mail's
link must still work; a confirmation link does after a week.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carewatch.kids.store.mailing.models import Subscriber, SubscriberStatus
from carewatch.platform.notify import direct
from carewatch.platform.notify.models import Notification

CONFIRM_SALT = "carewatch.store.mailing.confirm"
UNSUBSCRIBE_SALT = "carewatch.store.mailing.unsubscribe"
CONFIRM_MAX_AGE = dt.timedelta(days=7)
# Asking again within this time sends no second confirmation (nobody can flood an inbox).
RESEND_AFTER = dt.timedelta(hours=1)


def make_token(subscriber: Subscriber, salt: str) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=salt, compress=True)


def subscriber_for(token: str, salt: str, max_age: dt.timedelta | None = None) -> Subscriber | None:
    """The subscriber the token was made for, if it is genuine (and recent, with max_age)."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        return Subscriber.objects.filter(pk=int(data["s"]), email=str(data["e"])).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_url(subscriber: Subscriber) -> str:
    token = make_token(subscriber, UNSUBSCRIBE_SALT)
    return absolute(reverse("store:news_unsubscribe", args=[token]))


def do_subscribe(email: str, user: Any = None, language: str = "") -> Subscriber:
    """Asks `email` to confirm (or does nothing when it already has). The address is kept
    waiting until its owner clicks the link in the confirmation e-mail."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    subscriber, _created = Subscriber.objects.get_or_create(
        email=email.strip().lower(), defaults={"language": language}
    )
    if user is not None and getattr(user, "is_authenticated", False):
        subscriber.user = user
    subscriber.language = language
    if subscriber.is_confirmed:
        subscriber.save(update_fields=["user", "language"])
        return subscriber
    subscriber.status = SubscriberStatus.PENDING
    subscriber.save(update_fields=["user", "language", "status"])
    if not _asked_recently(subscriber):
        _queue_confirmation(subscriber)
    return subscriber


def _asked_recently(subscriber: Subscriber) -> bool:
    since = timezone.now() - RESEND_AFTER
    mails = Notification.objects.filter(topic=direct.topic(subscriber), event=CONFIRM_EVENT)
    return mails.filter(created__gte=since).exists()


CONFIRM_EVENT = "store.news_confirm"


def _queue_confirmation(subscriber: Subscriber) -> Notification:
    with translation.override(subscriber.language):
        subject = _("Confirm that you want e-mails about new CareWatch products")
    return direct.send_email(
        subscriber.email,
        subject,
        about=direct.topic(subscriber),
        event=CONFIRM_EVENT,
        compose="carewatch.kids.store.mailing.subscriptions.compose_confirmation",
        payload={"subscriber": subscriber.pk},
    )


def compose_confirmation(notification: Notification) -> direct.Message | None:
    """The signed link is made when the mail goes, never stored."""
    subscriber = Subscriber.objects.filter(pk=notification.payload["subscriber"]).first()
    if subscriber is None or subscriber.status != SubscriberStatus.PENDING:
        return None  # confirmed or unsubscribed meanwhile
    token = make_token(subscriber, CONFIRM_SALT)
    link = absolute(reverse("store:news_confirm", args=[token]))
    with translation.override(subscriber.language):
        text = render_to_string("mailing/email/confirm.txt", {"link": link})
    return direct.Message(notification.subject, text)


def do_confirm(subscriber: Subscriber) -> None:
    if subscriber.status != SubscriberStatus.CONFIRMED:
        subscriber.status, subscriber.confirmed_at = SubscriberStatus.CONFIRMED, timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])


def do_unsubscribe(subscriber: Subscriber) -> None:
    if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])


def subscription_of(user: Any) -> Subscriber | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Subscriber.objects.filter(email=user.email.lower()).first()
