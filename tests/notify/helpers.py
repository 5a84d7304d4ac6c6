"""Shared set-up for the notification tests: the base users, huey in immediate mode."""

from __future__ import annotations

from typing import Any

from django.test import override_settings
from huey.contrib.djhuey import HUEY

from carewatch.platform.notify.models import Channel, Notification
from tests.base import BaseTestCase


# The base users' passwords are hashed with the real (deliberately slow) hasher otherwise.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class NotifyTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.was_immediate = HUEY.immediate
        HUEY.immediate = True
        HUEY.flush()

    def tearDown(self) -> None:
        HUEY.flush()
        HUEY.immediate = self.was_immediate
        super().tearDown()

    def channel(self, kind: str, value: dict[str, Any], owner: Any = None, **extra: Any) -> Channel:
        return Channel.objects.create(owner=owner or self.alice, kind=kind, value=value, **extra)

    def send_now(
        self, channel: Channel, subject: str = "Aarav left School", **extra: Any
    ) -> Notification:
        """Sends through one channel, running the on-commit delivery like a real commit."""
        from carewatch.platform.notify.sending import send_to

        with self.captureOnCommitCallbacks(execute=True):
            [row] = send_to(
                [channel], subject, extra.pop("text", "At 15:10, near the gate."), **extra
            )
        row.refresh_from_db()
        return row

    def scheduled(self) -> list[tuple[tuple[Any, ...], float]]:
        """(args, seconds from now) of every task waiting in huey's schedule."""
        now = HUEY._get_timestamp()  # naive UTC, like the etas huey stores
        return [(task.args, (task.eta - now).total_seconds()) for task in HUEY.scheduled()]
