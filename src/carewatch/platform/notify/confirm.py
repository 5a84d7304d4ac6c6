"""Confirming an e-mail channel: a signed link proves the address belongs to someone who
wants CareWatch's mail. Addresses the owner already verified at sign-up need no link."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from carewatch.platform.accounts.models import User
from carewatch.platform.notify.models import Channel

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


def send_confirmation(channel: Channel) -> None:
    owner = channel.owner
    link = settings.SITE_URL + reverse("notify:confirm", args=[make_token(channel)])
    with translation.override(getattr(owner, "language", "") or settings.LANGUAGE_CODE):
        subject = _("Confirm that you want CareWatch alerts at this address")
        body = render_to_string("notify/email/confirm.txt", {"owner": owner, "link": link})
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    send_mail(prefix + subject, body, None, [channel.value["email"]])
