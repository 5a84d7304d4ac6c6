"""The links and addresses a customer gets: their thread's page (an account's own page,
or a signed link for a guest) and the signed Reply-To address of an answer e-mail."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from carewatch.platform.support import replies
from carewatch.platform.support.models import Thread

GUEST_SALT = "carewatch.support.thread"
# A parent may come back to an answer months later; a reply by e-mail a little less.
GUEST_MAX_AGE = timedelta(days=180)
REPLY_MAX_AGE = timedelta(days=90)


def guest_token(thread: Thread) -> str:
    return signing.dumps(thread.pk, salt=GUEST_SALT, compress=False)


def thread_for_guest_token(token: str) -> Thread | None:
    try:
        thread_id = signing.loads(token, salt=GUEST_SALT, max_age=GUEST_MAX_AGE)
    except signing.BadSignature:  # also an expired one
        return None
    if not isinstance(thread_id, int):
        return None
    return Thread.objects.filter(pk=thread_id, user=None).first()


def thread_path(thread: Thread) -> str:
    """Where the customer reads the thread: signed in, or through the signed link."""
    if thread.user_id is not None:
        return reverse("support:thread", args=[thread.pk])
    return reverse("support:guest_thread", args=[guest_token(thread)])


def thread_link(thread: Thread) -> str:
    return settings.SITE_URL + thread_path(thread)


def reply_to(thread: Thread) -> str:
    token = replies.make_token(thread.pk, int(time.time()), settings.SECRET_KEY)
    return replies.reply_address(token, settings.SUPPORT_REPLY_DOMAIN)


def thread_for_reply_token(token: str) -> Thread | None:
    max_age = int(REPLY_MAX_AGE.total_seconds())
    thread_id = replies.read_token(
        token, now=int(time.time()), key=settings.SECRET_KEY, max_age=max_age
    )
    return Thread.objects.filter(pk=thread_id).first() if thread_id else None
