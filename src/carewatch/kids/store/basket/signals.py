"""Carries the anonymous basket into the account at login."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from carewatch.kids.store.basket.baskets import merge_into_account
from carewatch.platform.accounts.models import User


@receiver(user_logged_in, dispatch_uid="store_merge_basket_at_login")
def merge_basket(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        merge_into_account(request, user)
