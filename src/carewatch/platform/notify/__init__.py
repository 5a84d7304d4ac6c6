"""Notifications: tell a user through their channels (e-mail, SMS, push, webhook, inbox).

The Kids and Eyes apps call

    from carewatch.platform import notify
    notify.send(user, subject, text, url="/kids/...", event="kids.sos", payload={...})

which writes one Notification row per enabled channel and delivers each after
the transaction commits, retrying temporary errors through the task queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carewatch.platform.notify.models import Notification


def send(
    user: Any,
    subject: Any,
    text: Any,
    *,
    html: str | None = None,
    url: str | None = None,
    event: str = "",
    kinds: Iterable[str] | None = None,
    payload: dict[str, Any] | None = None,
) -> list[Notification]:
    """See sending.send; imported lazily because this package loads before the models."""
    from carewatch.platform.notify import sending

    return sending.send(
        user, subject, text, html=html, url=url, event=event, kinds=kinds, payload=payload
    )
