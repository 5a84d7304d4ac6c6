"""From a tracker Event to each guardian's notifications, following their alert settings.

`wanted_channels` is the decision (plain Python, tested directly); `alert_guardians`
is the thin ORM shell that asks it for every guardian and hands over to notify.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from carewatch.kids.tracker.models import AlertSetting, Event, EventKind
from carewatch.platform.accounts.models import FamilyMembership, User
from carewatch.platform.notify import sending
from carewatch.platform.notify.localized import i18n_payload

ALWAYS_EVERYWHERE = {EventKind.SOS}  # SOS ignores choices and quiet hours


@dataclass(frozen=True)
class Preferences:
    kinds: Sequence[str] = ()  # empty: every kind
    channel_kinds: Sequence[str] = ()  # empty: every channel
    quiet_from: time | None = None
    quiet_until: time | None = None


def in_quiet_hours(now: time, start: time | None, end: time | None) -> bool:
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end  # over midnight, e.g. 21:00-07:00


def wanted_channels(kind: str, prefs: Preferences, local_now: time) -> list[str] | None:
    """None: tell on every channel. []: tell nobody. Otherwise the channel kinds to use."""
    if kind in ALWAYS_EVERYWHERE:
        return None
    if prefs.kinds and kind not in prefs.kinds:
        return []
    if in_quiet_hours(local_now, prefs.quiet_from, prefs.quiet_until):
        return ["inbox"]  # still in the feed, but nothing buzzes at night
    return list(prefs.channel_kinds) or None


MESSAGES: dict[str, Any] = {
    EventKind.PLACE_ENTER: _("%(child)s arrived at %(place)s"),
    EventKind.PLACE_EXIT: _("%(child)s left %(place)s"),
    EventKind.SOS: _("SOS from %(child)s"),
    EventKind.LOW_BATTERY: _("%(child)s's watch battery is low (%(battery)s %%)"),
    EventKind.CRITICAL_BATTERY: _("%(child)s's watch is almost out of battery (%(battery)s %%)"),
    EventKind.OFFLINE: _("%(child)s's watch has gone offline"),
    EventKind.BACK_ONLINE: _("%(child)s's watch is back online"),
    EventKind.REMOVED: _("%(child)s's watch was taken off the wrist"),
    EventKind.FALL: _("%(child)s's watch detected a fall"),
    EventKind.OVERSPEED: _("%(child)s is moving fast (%(speed)s km/h)"),
}


# An alarm that came without a GPS fix (the watch had none): say where the map's
# position comes from, and how old it is.
NO_FIX_MESSAGES: dict[str, Any] = {
    "known": _("%(alarm)s. No GPS fix: the map shows where the watch was %(minutes)s min before."),
    "unknown": _("%(alarm)s. No GPS fix, and no earlier position is known."),
}


def describe(event: Event) -> _Interpolated:
    values = {
        "child": event.child.name if event.child else str(event.device),
        "place": event.place.name if event.place else _("a place"),
        "battery": event.details.get("battery", "?"),
        "speed": event.details.get("speed_kmh", "?"),
    }
    message = _Interpolated(MESSAGES[event.kind], values)
    if not event.details.get("no_fix"):
        return message
    minutes = event.position_age_minutes()
    if minutes is None:
        return _Interpolated(NO_FIX_MESSAGES["unknown"], {"alarm": message})
    return _Interpolated(NO_FIX_MESSAGES["known"], {"alarm": message, "minutes": minutes})


class _Interpolated:
    """A lazy message filled in only when rendered, i.e. in the guardian's language."""

    def __init__(self, message: Any, values: dict[str, Any]) -> None:
        self.message, self.values = message, values

    def __str__(self) -> str:
        return str(self.message) % {key: str(value) for key, value in self.values.items()}

    def i18n(self) -> dict[str, Any]:
        """The msgid and values, so the inbox can say it again in a later language."""
        with translation.override(None):  # no catalogue: the msgid itself
            msgid = str(self.message)
        values = {key: str(value) for key, value in self.values.items()}
        return i18n_payload(msgid, msgid, values)


def alert_guardians(event: Event) -> int:
    """Sends the event to every guardian of the family; returns the notifications written."""
    local_now = timezone.localtime().time()
    text = describe(event)
    url = reverse("tracker:dashboard")  # notify makes it absolute where a channel needs it
    memberships = FamilyMembership.objects.filter(family_id=event.family_id)
    guardians = [membership.user for membership in memberships.select_related("user")]
    preferences = _preferences(guardians, event)
    told = [
        (guardian, channels)
        for guardian in guardians
        if (channels := wanted_channels(event.kind, preferences[guardian.pk], local_now)) != []
    ]
    rows = sending.send_each(
        told,
        text,
        text,
        url=url,
        event=f"tracker.{event.kind}",
        payload={"event_id": event.pk, "kind": event.kind, "i18n": text.i18n()},
    )
    return len(rows)


def _preferences(users: Sequence[User], event: Event) -> dict[int, Preferences]:
    """Each guardian's alert settings for the event's family (defaults where none): one
    query for the family, as an SOS waits for it."""
    found = AlertSetting.objects.filter(family_id=event.family_id, user__in=users)
    saved = {setting.user_id: setting for setting in found} if users else {}
    return {
        user.pk: Preferences(s.kinds, s.channel_kinds, s.quiet_from, s.quiet_until)
        if (s := saved.get(user.pk)) is not None
        else Preferences()
        for user in users
    }
