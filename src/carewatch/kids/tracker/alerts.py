"""From a tracker Event to each guardian's notifications, following their alert settings.

`wanted_channels` is the decision (plain Python, tested directly); `alert_guardians`
is the thin ORM shell that asks it for every guardian and hands over to notify.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import CharField, FilteredRelation, Q, Subquery, Value
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from carewatch.kids.tracker.models import Child, Event, EventKind, Place
from carewatch.platform.accounts.models import FamilyMembership, User
from carewatch.platform.notify import sending
from carewatch.platform.notify.localized import i18n_payload
from carewatch.platform.notify.models import Channel

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
    guardians = guardians_of(event)
    text = describe(event)
    url = reverse("tracker:dashboard")  # notify makes it absolute where a channel needs it
    told = [
        (guardian.user, channels)
        for guardian in guardians
        if (channels := wanted_channels(event.kind, guardian.preferences, local_now)) != []
    ]
    rows = sending.send_each(
        told,
        text,
        text,
        url=url,
        event=f"tracker.{event.kind}",
        payload={"event_id": event.pk, "kind": event.kind, "i18n": text.i18n()},
        enabled={guardian.user.pk: guardian.channels for guardian in guardians},
    )
    return len(rows)


@dataclass
class Guardian:
    user: User
    preferences: Preferences
    channels: list[Channel]  # enabled and confirmed


# What sending and the inbox read of a guardian; any other field loads when first read.
USER_FIELDS = ("id", "is_active", "language", "email", "first_name", "last_name")
SETTING_FIELDS = ("id", "kinds", "channel_kinds", "quiet_from", "quiet_until")
CHANNEL_FIELDS = tuple(field.attname for field in Channel._meta.concrete_fields)


def guardians_of(event: Event) -> list[Guardian]:
    """The family's guardians, each with their alert settings for it and their enabled
    channels, in one query: an SOS waits for each round trip to the database, on a
    machine busy with everyone's positions. The same query reads the child's and the
    place's names, which the message and the live map then take from the event."""
    columns = [
        *(f"user__{name}" for name in USER_FIELDS),
        *(f"setting__{name}" for name in SETTING_FIELDS),
        *(f"channel__{name}" for name in CHANNEL_FIELDS),
        "child_name",
        "place_name",
    ]
    rows = (
        FamilyMembership.objects.filter(family_id=event.family_id)
        .annotate(
            setting=FilteredRelation(
                "user__alert_settings", condition=Q(user__alert_settings__family_id=event.family_id)
            ),
            channel=FilteredRelation(
                "user__notify_channels",
                condition=Q(user__notify_channels__verified=True)
                & Q(user__notify_channels__disabled=False),
            ),
            child_name=_name_of(Child, event.child_id),
            place_name=_name_of(Place, event.place_id),
        )
        .order_by("pk", "channel__pk")
        .values_list(*columns)
    )
    guardians: dict[int, Guardian] = {}
    names: tuple[str | None, str | None] = (None, None)  # the same on every row
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        names = values["child_name"], values["place_name"]
        user_id = values["user__id"]
        if user_id not in guardians:
            guardians[user_id] = Guardian(
                _instance(User, values, "user__"), _preferences(values), []
            )
        if values["channel__id"] is not None:
            channel = _instance(Channel, values, "channel__")
            channel.owner = guardians[user_id].user
            guardians[user_id].channels.append(channel)
    _keep_names(event, *names)
    return list(guardians.values())


def _name_of(model: Any, pk: int | None) -> Subquery | Value:
    if pk is None:
        return Value(None, output_field=CharField())
    return Subquery(model.objects.filter(pk=pk).values("name"))


def _keep_names(event: Event, child_name: str | None, place_name: str | None) -> None:
    if event.child_id is not None and child_name is not None:
        event.child = _instance(Child, {"id": event.child_id, "name": child_name}, "")
    if event.place_id is not None and place_name is not None:
        event.place = _instance(Place, {"id": event.place_id, "name": place_name}, "")


def _preferences(values: dict[str, Any]) -> Preferences:
    if values["setting__id"] is None:
        return Preferences()  # the defaults: every kind, every channel, no quiet hours
    return Preferences(
        values["setting__kinds"],
        values["setting__channel_kinds"],
        values["setting__quiet_from"],
        values["setting__quiet_until"],
    )


def _instance(model: Any, values: dict[str, Any], prefix: str) -> Any:
    """A model instance from the columns under `prefix`, as a query would have made it."""
    names = [
        field.attname for field in model._meta.concrete_fields if prefix + field.attname in values
    ]
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[prefix + name] for name in names])
