"""Every user gets an in-app inbox channel the moment the account exists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from carewatch.platform.notify.inbox import inbox_channel


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="notify_inbox_for_new_user")
def give_new_user_an_inbox(sender: Any, instance: Any, created: bool, raw: bool, **kw: Any) -> None:
    if created and not raw:
        inbox_channel(instance)
