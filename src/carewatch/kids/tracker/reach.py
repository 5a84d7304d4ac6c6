"""Whether an SOS reaches a guardian at once, and the test alert that shows where it goes.

The in-app inbox is always there, but a parent only sees it with the app open: an SOS
needs a second road (e-mail, SMS, push, webhook) that buzzes. A test alert follows the
same choice of channels as an SOS (every channel, quiet hours ignored)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carewatch.kids.tracker.alerts import Preferences, wanted_channels
from carewatch.kids.tracker.models import EventKind
from carewatch.platform.notify import sending
from carewatch.platform.notify.models import Channel, Notification

TESTS_PER_HOUR = 5


class TooManyTests(Exception):
    """More test alerts in the last hour than a person needs to check their phone."""


def working_channels(user: Any) -> Any:
    return Channel.objects.filter(owner=user, disabled=False, verified=True)


def only_inbox(user: Any) -> bool:
    return not working_channels(user).exclude(kind="inbox").exists()


def do_send_test_alert(user: Any, child_name: str) -> list[Notification]:
    key = f"tracker:test-alerts:{user.pk}"
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > TESTS_PER_HOUR:
        raise TooManyTests
    kinds = wanted_channels(EventKind.SOS, Preferences(), timezone.localtime().time())
    subject = _("Test alert from CareWatch")
    text = _("This is a test. An SOS from %(child)s would reach you here. Nothing has happened.")
    return sending.send(
        user,
        subject,
        _Filled(text, {"child": child_name}),
        url="/kids/tracker/",
        event="tracker.test",
        kinds=kinds,
    )


class _Filled:
    """Filled in when rendered, so each row is in its reader's language."""

    def __init__(self, message: Any, values: dict[str, str]) -> None:
        self.message, self.values = message, values

    def __str__(self) -> str:
        return str(self.message) % self.values
