from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's navigation needs."""
    return {"inbox_unread": _inbox_unread(request)}


def _inbox_unread(request: HttpRequest) -> int:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    try:
        from carewatch.platform.notify.inbox import unread_count
    except ImportError:  # the notify app is optional for the shell
        return 0
    return unread_count(user)
