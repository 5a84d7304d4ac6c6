"""What the live map hears: each device's new position and each event, published after commit.

Whatever writes positions (the ingest workers, `ingestion.ingest_fixes`, the offline
check) calls `publish_updates(devices, events)` once its
transaction has committed, so a message never describes a row that was rolled
back. Messages go to the family's channel only; the live stream of that family
relays them (live.py). They carry names, not translated words: each stream
words them in its reader's language.

    {"type": "position", "device": 7, "lat": 13.08, "lon": 80.27, "accuracy": 12.0,
     "fix_time": "2026-...", "last_seen": "2026-...", "battery": 55, "status": "online"}
    {"type": "event", "id": 91, "kind": "sos", "device": 7, "time": "2026-...",
     "lat": 13.08, "lon": 80.27, "place": "School", "who": "Asha", "text": "SOS · School · Asha"}
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, Protocol

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from carewatch.kids.tracker.models import EVENT_KIND_LABELS, Event, EventKind
from carewatch.platform import pubsub


class DeviceLike(Protocol):
    """A Device row, or ingestion's DeviceRow: what a position message is made of."""

    @property
    def pk(self) -> int: ...
    @property
    def family_id(self) -> int | None: ...
    @property
    def status(self) -> str: ...
    @property
    def last_seen(self) -> dt.datetime | None: ...
    @property
    def last_fix_time(self) -> dt.datetime | None: ...
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...
    @property
    def accuracy(self) -> float | None: ...
    @property
    def battery(self) -> int | None: ...


def channel(family_id: int) -> str:
    return f"family.{int(family_id)}"


# An open live map says so on this channel when it opens and every WATCH_EVERY_S while
# open; the ingest workers publish positions only for the families someone watches (at
# any moment few are: most of the bus's work went to messages nobody received). Events
# always go out.
WATCHING = "kids.live.watching"
WATCH_EVERY_S = 20.0
WATCH_TTL_S = 3 * WATCH_EVERY_S


def announce_watching(family_id: int) -> None:
    pubsub.publish(WATCHING, {"family": int(family_id)})


class Watchers:
    """The families with an open map somewhere, as their streams announce them."""

    def __init__(self) -> None:
        self._until: dict[int, float] = {}

    def seen(self, message: pubsub.Message) -> None:
        family = message.get("family")
        if isinstance(family, int) and not isinstance(family, bool):
            now = time.monotonic()
            self._until[family] = now + WATCH_TTL_S
            if len(self._until) > 100_000:  # maps closed long ago
                self._until = {f: t for f, t in self._until.items() if t > now}

    def watched(self, family_id: int) -> bool:
        until = self._until.get(family_id)
        return until is not None and until > time.monotonic()


def publish_updates(
    devices: Iterable[DeviceLike],
    events: Sequence[Event],
    watched: Callable[[int], bool] | None = None,
) -> None:
    """Publish each device's state (to families `watched`, or all) and each saved event to
    its family. Call after commit.

    Never raises for the bus; events cost one query each for their place and child
    names (events are rare), positions none.
    """
    for device in devices:
        family = device.family_id
        if family is not None and (watched is None or watched(family)):
            pubsub.publish(channel(family), position_message(device))
    if events:
        prefetch_related_objects(list(events), "place", "child")
        prefetch_related_objects([event for event in events if not event.child_id], "device")
        for event in events:
            pubsub.publish(channel(event.family_id), event_message(event))


def position_message(device: DeviceLike) -> dict[str, Any]:
    return {
        "type": "position",
        "device": device.pk,
        "lat": device.lat,
        "lon": device.lon,
        "accuracy": device.accuracy,
        "fix_time": iso(device.last_fix_time),
        "last_seen": iso(device.last_seen),
        "battery": device.battery,
        "status": str(device.status),
    }


def event_message(event: Event) -> dict[str, Any]:
    place = event.place.name if event.place else ""
    who = event.child.name if event.child else str(event.device)
    return {
        "type": "event",
        "id": event.pk,
        "kind": event.kind,
        "device": event.device_id,
        "time": iso(event.time),
        "lat": event.lat,
        "lon": event.lon,
        "place": place,
        "who": who,
        "no_fix_minutes": no_fix_minutes(event),
        "text": alert_text(event.kind, place, who, no_fix_minutes(event)),
    }


def no_fix_minutes(event: Event) -> int | None | Literal[-1]:
    """-1: the alarm came with a position. None: without one, and none is known yet.
    Otherwise how old the last known position (where the marker stands) was."""
    return event.position_age_minutes() if event.no_fix else -1


def alert_text(kind: str, place: str, who: str, no_fix_minutes: int | None = -1) -> str:
    """ "Left a place · School · Asha", in the active language; an alarm without a GPS fix
    says how old the position on the map is."""
    label = str(EVENT_KIND_LABELS[EventKind(kind)]) if kind in set(EventKind) else kind
    parts = [label, place, who]
    if no_fix_minutes is None:
        parts.append(_("no GPS fix"))
    elif no_fix_minutes >= 0:
        parts.append(_("position %(n)s min old") % {"n": no_fix_minutes})
    return " · ".join(part for part in parts if part)


def iso(when: dt.datetime | None) -> str | None:
    return when.isoformat() if when else None
