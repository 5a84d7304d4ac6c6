"""The in-app inbox: every user's own channel of kind "inbox" and what it received."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from carewatch.platform.accounts.models import User
from carewatch.platform.notify.models import Channel, Notification, Status


def inbox_channel(user: User) -> Channel:
    """The user's inbox channel, created on first need (the signal makes it at sign-up)."""
    channel = Channel.objects.filter(owner=user, kind="inbox").first()
    return channel or Channel.objects.create(owner=user, kind="inbox")


def messages(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(
        channel__owner=user, channel__kind="inbox", status=Status.SENT
    )


def unread_count(user: User | AnonymousUser) -> int:
    """For the navigation badge; 0 for anonymous visitors."""
    if not isinstance(user, User):
        return 0
    return messages(user).filter(read_at__isnull=True).count()


def mark_read(user: User, ids: list[int] | None = None) -> int:
    """Marks the user's unread messages (all, or those with these ids) as read."""
    unread = messages(user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
