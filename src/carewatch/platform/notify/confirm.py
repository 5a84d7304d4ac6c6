"""Confirming an e-mail channel: a signed link proves the address belongs to someone who
wants CareWatch's mail. Addresses the owner already verified at sign-up need no link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from carewatch.platform.accounts.models import User
from carewatch.platform.notify import direct
from carewatch.platform.notify.models import Channel, Notification

SALT = "carewatch.notify.confirm-email"
MAX_AGE = timedelta(days=7)


def needs_confirmation(user: User, email: str) -> bool:
    return not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def make_token(channel: Channel) -> str:
    return signing.dumps({"c": channel.pk, "e": channel.value["email"]}, salt=SALT)


def channel_for(token: str) -> Channel | None:
    """The e-mail channel the token was made for, if it is genuine, recent and unchanged."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # also covers an expired signature
        return None
    return Channel.objects.filter(pk=data["c"], kind="email", value__email=data["e"]).first()


def queue_confirmation(channel: Channel) -> Notification:
    """The link is signed when the mail goes (compose), not stored while it waits."""
    return direct.send_email(
        channel.value["email"],
        subject(channel.owner),
        about=direct.topic(channel),
        event="notify.confirm_channel",
        compose="carewatch.platform.notify.confirm.compose",
        payload={"channel": channel.pk},
    )


def subject(owner: Any) -> str:
    with translation.override(getattr(owner, "language", "") or settings.LANGUAGE_CODE):
        prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
        return prefix + _("Confirm that you want CareWatch alerts at this address")


def compose(notification: Notification) -> direct.Message | None:
    channel = Channel.objects.filter(pk=notification.payload["channel"], verified=False).first()
    if channel is None or channel.value.get("email") != notification.address:
        return None  # confirmed, removed or changed meanwhile
    owner = channel.owner
    link = settings.SITE_URL + reverse("notify:confirm", args=[make_token(channel)])
    with translation.override(getattr(owner, "language", "") or settings.LANGUAGE_CODE):
        body = render_to_string("notify/email/confirm.txt", {"owner": owner, "link": link})
    return direct.Message(subject(owner), body)
