"""The live map, its server-sent events stream, and a day's history.

The map page embeds everything it draws (json_script), so it works without the
stream; the stream (`live`) then moves markers. It is an async view: it checks
membership before the first byte, subscribes to the family's live channel
(livefeed.py), reads the family once, then relays what ingestion publishes,
with heartbeats, and never queries again unless the bus says messages were lost.
It ends after a few minutes; EventSource reconnects by itself and says, in
Last-Event-ID, which alerts it has already seen.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carewatch.kids.tracker import livefeed
from carewatch.kids.tracker.models import (
    DEVICE_STATUS_LABELS,
    Device,
    DeviceStatus,
    Event,
    Place,
    Position,
)
from carewatch.platform import pubsub
from carewatch.platform.accounts.models import Family
from carewatch.platform.accounts.permissions import (
    SignedInRequest,
    families_of,
    family_member_required,
)
from carewatch.platform.lib.dates import parse_day

RETRY_MS = 3000  # how soon EventSource reconnects after the stream ends
MAX_TRACK_POINTS = 20_000  # a watch reporting every 5 s sends 17,280 fixes a day
MAX_ALERTS_PER_SNAPSHOT = 50  # the newest of those missed; the inbox keeps them all
BUS_WAIT_S = 1.0  # for the bus to confirm the subscription; else go on and resync later
logger = logging.getLogger(__name__)


def live_settings() -> tuple[float, float]:
    """Stream lifetime and heartbeat period, in seconds (tests shorten them)."""
    return (
        float(getattr(settings, "TRACKER_LIVE_LIFETIME_SECONDS", 300.0)),
        float(getattr(settings, "TRACKER_LIVE_HEARTBEAT_SECONDS", 15.0)),
    )


# --- What the maps draw ---------------------------------------------------------


def map_config() -> dict[str, Any]:
    return {
        "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_ATTRIBUTION},
        "tz": settings.TIME_ZONE,
    }


def place_json(place: Place) -> dict[str, Any]:
    return {
        "id": place.pk,
        "name": place.name,
        "kind": place.kind,
        "lat": place.lat,
        "lon": place.lon,
        "radius_m": place.radius_m,
        "polygon": place.polygon or [],
    }


def device_json(device: Device) -> dict[str, Any]:
    return {
        "id": device.pk,
        "name": device.child.name if device.child else str(device),
        "status": device.status,
        "status_label": str(device.get_status_display()),
        "battery": device.battery,
        "last_seen": _iso(device.last_seen),
        "fix_time": _iso(device.last_fix_time),
        "lat": device.lat,
        "lon": device.lon,
        "accuracy": device.accuracy,
    }


def _iso(when: dt.datetime | None) -> str | None:
    return when.isoformat() if when else None


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight to the next local midnight, in the site's time zone."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def tracks(devices: Iterable[Device], start: dt.datetime, end: dt.datetime) -> dict[int, list]:
    """Valid positions of each device in [start, end), in fix-time order: {id: [[lat, lon]]}."""
    rows = (
        Position.objects.filter(
            device__in=list(devices), valid=True, fix_time__gte=start, fix_time__lt=end
        )
        .order_by("device_id", "fix_time")
        .values_list("device_id", "lat", "lon")[:MAX_TRACK_POINTS]
    )
    found: dict[int, list] = defaultdict(list)
    for device_id, lat, lon in rows:
        found[device_id].append([lat, lon])
    return dict(found)


# --- The live map ------------------------------------------------------------------


@family_member_required
def map_page(request: SignedInRequest, family: Family) -> HttpResponse:
    devices = list(family.devices.select_related("child").order_by("child__name", "pk"))
    start, end = day_bounds(timezone.localdate())
    last_event = Event.objects.filter(family=family).order_by("-pk").first()
    data = map_config() | {
        "places": [place_json(place) for place in family.places.all()],
        "devices": [device_json(device) for device in devices],
        "tracks": tracks(devices, start, end),
        "live_url": reverse("tracker:live", args=[family.pk]),
        "after": last_event.pk if last_event else 0,
    }
    context = {"family": family, "devices": devices, "map_data": data, "strings": map_strings()}
    return render(request, "tracker/map.html", context)


def map_strings() -> dict[str, str]:
    """Words the map's script shows, translated here because the script has none of its own."""
    return {
        "battery": _("Battery"),
        "last_seen": _("Last seen"),
        "no_position": _("No position yet"),
        "accuracy": _("Accurate to about (metres)"),
        "live_lost": _("Live updates stopped. Reload the page to see new positions."),
        "live_on": _("Live: the map moves by itself."),
    }


# --- The stream --------------------------------------------------------------------


async def live(request: HttpRequest, family_id: int) -> StreamingHttpResponse:
    """Server-sent events for one family: `position` and `alert` events, 404 for others."""
    user = await request.auser()
    if not user.is_authenticated or not await families_of(user).filter(pk=family_id).aexists():
        raise Http404("No such family.")
    after = _event_cursor(request)
    if after is None:
        last = await Event.objects.filter(family_id=family_id).order_by("-pk").afirst()
        after = last.pk if last else 0
    stream = live_stream(family_id, after, translation.get_language(), *live_settings())
    response = StreamingHttpResponse(stream, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


def _event_cursor(request: HttpRequest) -> int | None:
    """The newest alert the page has: Last-Event-ID on reconnects, else ?after= from the page."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after")
    try:
        return max(0, int(raw)) if raw else None
    except ValueError:
        return None


async def live_stream(
    family_id: int, after: int, language: str | None, lifetime_s: float, heartbeat_s: float
) -> AsyncIterator[str]:
    """Subscribe, then read the family once, then relay what is published until the end.

    The subscription is live before the snapshot is read, so nothing committed in
    between is missed; a resync (the bus dropped, or this reader fell behind) and a
    device the snapshot did not know read the family again.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + lifetime_s
    feed = FamilyFeed(after, language)
    read = sync_to_async(read_family_and_release)
    yield f"retry: {RETRY_MS}\n\n"
    async with pubsub.subscribe([livefeed.channel(family_id)]) as messages:
        await messages.ready(BUS_WAIT_S)
        livefeed.announce_watching(family_id)  # the workers publish positions from now on
        announced = loop.time()
        yield feed.snapshot(*await read(family_id, feed.after, language))
        while (left := deadline - loop.time()) > 0:
            if loop.time() - announced >= livefeed.WATCH_EVERY_S:
                livefeed.announce_watching(family_id)
                announced = loop.time()
            try:
                items = [await asyncio.wait_for(anext(messages), min(heartbeat_s, left))]
            except TimeoutError:
                if loop.time() < deadline:
                    yield ": heartbeat\n\n"
                continue
            items += messages.drain()
            chunk = feed.relay(message for _channel, message in items)
            if feed.stale:
                chunk += feed.snapshot(*await read(family_id, feed.after, language))
            if chunk:
                yield chunk


class FamilyFeed:
    """What one open map has been sent, and the words for its reader's language."""

    def __init__(self, after: int, language: str | None) -> None:
        self.after = after  # the newest alert sent: the SSE id, so Last-Event-ID resumes
        self.language = language
        self.names: dict[int, str] = {}
        self.seen: dict[int, dt.datetime] = {}
        self.stale = False  # read the family again: messages were lost, or a device is new

    def snapshot(self, devices: list[dict[str, Any]], alerts: list[dict[str, Any]]) -> str:
        self.stale = False
        self.names = {device["id"]: device["name"] for device in devices}
        self.seen = {d["id"]: _when(d["last_seen"]) for d in devices if d["last_seen"]}
        self.after = max([self.after] + [alert["id"] for alert in alerts])
        return "".join(sse("position", d, self.after) for d in devices) + "".join(
            sse("alert", alert, self.after) for alert in alerts
        )

    def relay(self, messages: Iterable[pubsub.Message]) -> str:
        chunks = []
        with translation.override(self.language):
            for message in messages:
                try:
                    chunks.append(self.one(message))
                except (KeyError, TypeError, ValueError):
                    logger.warning("Live message not understood: %.200r", message)
        return "".join(chunks)

    def one(self, message: pubsub.Message) -> str:
        kind = message.get("type")
        if kind == "resync":
            self.stale = True
        elif kind == "position":
            return self.position(message)
        elif kind == "event":
            return self.alert(message)
        return ""

    def position(self, message: pubsub.Message) -> str:
        device_id = int(message["device"])
        if device_id not in self.names:
            self.stale = True  # paired after the snapshot: its name comes with the next one
            return ""
        last_seen = _when(message["last_seen"]) if message["last_seen"] else None
        known = self.seen.get(device_id)
        if known and last_seen and last_seen < known:
            return ""  # committed before the snapshot that already showed a newer state
        if last_seen:
            self.seen[device_id] = last_seen
        data = {key: message[key] for key in POSITION_FIELDS}
        data |= {"id": device_id, "name": self.names[device_id]}
        data["status_label"] = _status_label(message["status"])
        return sse("position", data, self.after)

    def alert(self, message: pubsub.Message) -> str:
        event_id = int(message["id"])
        if event_id <= self.after:
            return ""  # the snapshot (or Last-Event-ID) already has it
        self.after = event_id
        data = {key: message[key] for key in ALERT_FIELDS} | {"id": event_id}
        data["text"] = livefeed.alert_text(
            message["kind"], message["place"], message["who"], message.get("no_fix_minutes", -1)
        )
        return sse("alert", data, self.after)


POSITION_FIELDS = ("status", "battery", "last_seen", "fix_time", "lat", "lon", "accuracy")
ALERT_FIELDS = ("kind", "device", "time", "lat", "lon")


def _when(raw: str) -> dt.datetime:
    return dt.datetime.fromisoformat(raw)


def _status_label(status: str) -> str:
    label = DEVICE_STATUS_LABELS.get(DeviceStatus(status)) if status in set(DeviceStatus) else None
    return str(label) if label else status


def sse(event: str, data: dict[str, Any], event_id: int) -> str:
    return f"id: {event_id}\nevent: {event}\ndata: {json.dumps(data)}\n\n"


def read_family(
    family_id: int, after: int, language: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every device of the family, and its newest alerts after `after` (oldest first)."""
    with translation.override(language):
        devices = Device.objects.filter(family_id=family_id).select_related("child")
        alerts = (
            Event.objects.filter(family_id=family_id, pk__gt=after)
            .select_related("child", "place", "device")
            .order_by("-pk")[:MAX_ALERTS_PER_SNAPSHOT]
        )
        return [device_json(d) for d in devices], [alert_json(a) for a in reversed(alerts)]


def alert_json(event: Event) -> dict[str, Any]:
    return {key: value for key, value in livefeed.event_message(event).items() if key in ALERT_JSON}


ALERT_JSON = ("id", "kind", "device", "text", "time", "lat", "lon")


def read_family_and_release(
    family_id: int, after: int, language: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """read_family, then give the connection back: a stream stays open for minutes, and
    thousands of open maps must not hold thousands of idle database connections."""
    try:
        return read_family(family_id, after, language)
    finally:
        if not connection.in_atomic_block:  # inside a test's transaction, leave it be
            connection.close()


# --- History -----------------------------------------------------------------------


@family_member_required
def history(request: SignedInRequest, family: Family) -> HttpResponse:
    devices = list(family.devices.select_related("child").order_by("child__name", "pk"))
    device = _chosen_device(request, devices)
    today = timezone.localdate()
    day, error = _chosen_day(request, today)
    context: dict[str, Any] = {"family": family, "devices": devices, "device": device}
    context |= {"day": day, "error": error, "today": today}
    if device is not None:
        context |= _history_of(family, device, day, today)
    return render(request, "tracker/history.html", context, status=400 if error else 200)


def _chosen_device(request: HttpRequest, devices: list[Device]) -> Device | None:
    raw = request.GET.get("device")
    if not raw:
        return devices[0] if devices else None
    chosen = [device for device in devices if str(device.pk) == raw.strip()]
    if not chosen:
        raise Http404("No such device in this family.")
    return chosen[0]


def _chosen_day(request: HttpRequest, today: dt.date) -> tuple[dt.date, str]:
    raw = request.GET.get("date", "").strip()
    if not raw:
        return today, ""
    day = parse_day(raw)  # None beyond the years we can compute with, too
    if day is None:
        return today, _("That date is not valid: choose a day in the calendar. Showing today.")
    return day, ""


def _history_of(family: Any, device: Device, day: dt.date, today: dt.date) -> dict[str, Any]:
    start, end = day_bounds(day)
    positions = list(
        Position.objects.filter(device=device, valid=True, fix_time__gte=start, fix_time__lt=end)
        .order_by("fix_time")
        .values_list("fix_time", "lat", "lon", "accuracy")[:MAX_TRACK_POINTS]
    )
    events = (
        Event.objects.filter(device=device, time__gte=start, time__lt=end)
        .select_related("place", "child")
        .order_by("time")
    )
    data = map_config() | {
        "places": [place_json(place) for place in family.places.all()],
        "track": [[t.isoformat(), lat, lon, acc] for t, lat, lon, acc in positions],
        "name": device.child.name if device.child else str(device),
    }
    return {
        "positions": positions,
        "events": events,
        "history_data": data,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1) if day < today else None,
    }
