"""The live stream (server-sent events): members only, a snapshot once, then what is pushed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from carewatch.kids.tracker import livefeed
from carewatch.kids.tracker.ingestion import DeviceRow, ingest_fixes
from carewatch.kids.tracker.models import DEVICE_STATUS_LABELS, Child, Device, DeviceStatus, Event
from carewatch.kids.tracking import Fix
from carewatch.platform import pubsub
from tests.kids.tracker.base import TrackerTestCase

# Short enough that a test reads a whole stream in about a second.
FAST = {"TRACKER_LIVE_LIFETIME_SECONDS": 1.0, "TRACKER_LIVE_HEARTBEAT_SECONDS": 15.0}
# Long enough that what a test sees came by push, not because the stream ended.
LONG = {"TRACKER_LIVE_LIFETIME_SECONDS": 60.0}


def parse(text: str) -> list[tuple[str, dict[str, Any]]]:
    """The (event, data) pairs of an event-stream text; comments and `retry:` are skipped."""
    found = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            found.append((fields["event"], json.loads(fields["data"])))
    return found


def positions(text: str) -> list[dict[str, Any]]:
    return [data for kind, data in parse(text) if kind == "position"]


class Stream:
    def __init__(self, response: StreamingHttpResponse) -> None:
        self.chunks: AsyncIterator[bytes] = aiter(response.streaming_content)
        self.text = ""

    async def until(self, needle: str, count: int = 1) -> str:
        while self.text.count(needle) < count:
            self.text += (await asyncio.wait_for(anext(self.chunks), timeout=5)).decode()
        return self.text

    async def drain(self) -> str:
        async for chunk in self.chunks:
            self.text += chunk.decode()
        return self.text

    async def close(self) -> None:
        await self.chunks.aclose()  # type: ignore[attr-defined]


@override_settings(**FAST)
class LiveStreamTests(TrackerTestCase):
    def url(self, family_id: int | None = None) -> str:
        return reverse("tracker:live", args=[family_id or self.family.pk])

    async def open(self, headers: dict[str, str] | None = None) -> tuple[Any, Stream]:
        await self.async_client.aforce_login(self.alice)
        response = await self.async_client.get(self.url(), headers=headers or {})
        return response, Stream(response)

    def moved(self, lat: float, seconds: int = 0, **fields: Any) -> DeviceRow:
        """The device as ingestion leaves it after a new fix (no database involved)."""
        when = datetime.now(UTC) + timedelta(seconds=seconds)
        row = DeviceRow(self.device.pk, self.device.identifier, self.family.pk, self.child.pk, {})
        row.status, row.last_seen, row.last_fix_time = "online", when, when
        row.lat, row.lon, row.accuracy, row.battery = lat, 80.28, 12.0, 55
        for name, value in fields.items():
            setattr(row, name, value)
        return row

    def test_it_is_404_for_an_outsider_and_a_visitor(self) -> None:
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_is_404_for_a_family_that_does_not_exist(self) -> None:
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url(10**9)).status_code, 404)

    async def test_it_streams_event_stream_with_a_retry_time_and_every_device_first(self) -> None:
        response, stream = await self.open()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/event-stream")
        self.assertEqual(response["Cache-Control"], "no-cache")
        text = await stream.until("event: position")
        self.assertTrue(text.startswith("retry: "))
        await stream.drain()
        (kind, data), *rest = parse(stream.text)
        self.assertEqual((kind, data["id"], data["name"]), ("position", self.device.pk, "Asha"))
        self.assertEqual(rest, [])  # nothing was published: each device is sent once

    @override_settings(**LONG)
    async def test_it_relays_a_published_position_at_once_with_the_map_s_fields(self) -> None:
        _response, stream = await self.open()
        await stream.until("event: position")
        livefeed.publish_updates([self.moved(13.09)], [])
        await stream.until('"lat": 13.09')
        await stream.close()
        moved = positions(stream.text)[-1]
        self.assertEqual(
            (moved["id"], moved["name"], moved["lat"], moved["lon"]),
            (self.device.pk, "Asha", 13.09, 80.28),
        )
        self.assertEqual(
            (moved["battery"], moved["accuracy"], moved["status"]), (55, 12.0, "online")
        )
        self.assertEqual(moved["status_label"], "Online")
        self.assertTrue(moved["fix_time"] and moved["last_seen"])

    @override_settings(**LONG, LANGUAGE_CODE="hi")
    async def test_it_words_the_status_in_the_reader_s_language(self) -> None:
        _response, stream = await self.open()
        await stream.until("event: position")
        livefeed.publish_updates([self.moved(13.09, status="offline")], [])
        await stream.until('"lat": 13.09')
        await stream.close()
        label = positions(stream.text)[-1]["status_label"]
        with translation.override("hi"):
            self.assertEqual(label, str(DEVICE_STATUS_LABELS[DeviceStatus.OFFLINE]))
        self.assertNotEqual(label, "Offline")

    @override_settings(**LONG)
    async def test_it_sends_a_position_when_ingestion_moves_the_device(self) -> None:
        _response, stream = await self.open()
        await stream.until("event: position")
        now = datetime.now(UTC)
        fix = Fix(self.device.identifier, now, 13.09, 80.28, accuracy_m=12, battery=55)

        def ingest() -> None:
            with self.captureOnCommitCallbacks(execute=True):
                ingest_fixes([fix], now=now)

        await sync_to_async(ingest)()
        await stream.until('"lat": 13.09')
        await stream.close()
        moved = positions(stream.text)[-1]
        self.assertEqual((moved["lat"], moved["lon"], moved["battery"]), (13.09, 80.28, 55))
        self.assertEqual(moved["accuracy"], 12)
        self.assertEqual(moved["status"], "online")

    async def test_it_ignores_a_position_older_than_its_snapshot(self) -> None:
        self.device.last_seen = datetime.now(UTC)
        await self.device.asave()
        _response, stream = await self.open()
        await stream.until("event: position")
        livefeed.publish_updates([self.moved(13.5, seconds=-60)], [])
        await stream.drain()
        self.assertEqual(len(positions(stream.text)), 1)

    @override_settings(**LONG)
    async def test_it_relays_alerts_published_while_it_is_open(self) -> None:
        old = await self.event("low_battery")
        _response, stream = await self.open()
        await stream.until("event: position")
        new = await self.event("place_exit")
        await sync_to_async(livefeed.publish_updates)([], [new])
        await stream.until("event: alert")
        await stream.close()
        alerts = [data for kind, data in parse(stream.text) if kind == "alert"]
        self.assertEqual([alert["id"] for alert in alerts], [new.pk])
        self.assertEqual(alerts[0]["text"], "Left a place · School · Asha")
        self.assertEqual(alerts[0]["kind"], "place_exit")
        self.assertNotEqual(old.pk, new.pk)
        self.assertIn(f"id: {new.pk}\n", stream.text)

    async def test_an_alert_is_sent_once_when_it_is_both_in_the_snapshot_and_pushed(self) -> None:
        seen = await self.event("low_battery")
        missed = await self.event("sos")
        _response, stream = await self.open(headers={"Last-Event-ID": str(seen.pk)})
        await stream.until("event: alert")
        await sync_to_async(livefeed.publish_updates)([], [seen, missed])
        await stream.drain()
        alerts = [data["id"] for kind, data in parse(stream.text) if kind == "alert"]
        self.assertEqual(alerts, [missed.pk])

    async def test_a_reconnecting_page_gets_the_alerts_it_missed(self) -> None:
        seen = await self.event("low_battery")
        missed = await self.event("sos")
        _response, stream = await self.open(headers={"Last-Event-ID": str(seen.pk)})
        await stream.drain()
        alerts = [data["id"] for kind, data in parse(stream.text) if kind == "alert"]
        self.assertEqual(alerts, [missed.pk])

    async def test_it_never_streams_another_familys_devices_or_alerts(self) -> None:
        zed = await Child.objects.acreate(family=self.charlies_family, name="Zed")
        other = await Device.objects.acreate(
            identifier="860000000000999", family=self.charlies_family, child=zed, lat=1, lon=2
        )
        theirs = await Event.objects.acreate(
            device=other, family=self.charlies_family, kind="sos", time=datetime.now(UTC)
        )
        _response, stream = await self.open(headers={"Last-Event-ID": "0"})
        await stream.until("event: position")
        row = self.moved(1.5)
        row.pk, row.family_id = other.pk, self.charlies_family.pk
        await sync_to_async(livefeed.publish_updates)([row], [theirs])
        await stream.drain()
        self.assertNotIn("Zed", stream.text)
        self.assertNotIn('"lat": 1.5', stream.text)
        self.assertEqual([data["id"] for _kind, data in parse(stream.text)], [self.device.pk])

    @override_settings(TRACKER_LIVE_HEARTBEAT_SECONDS=0.2)
    async def test_it_sends_a_heartbeat_comment_when_nothing_happens(self) -> None:
        _response, stream = await self.open()
        await stream.drain()
        self.assertIn(": heartbeat\n\n", stream.text)

    @override_settings(TRACKER_LIVE_HEARTBEAT_SECONDS=0.02)
    def test_it_queries_the_database_for_its_snapshot_only_never_per_tick(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            counts, text = async_to_sync(self.read_while_publishing)(queries)
        self.assertGreaterEqual(text.count(": heartbeat"), 10)
        self.assertEqual(len(positions(text)), 1 + 5)
        self.assertEqual(counts[0], counts[1])  # nothing between the snapshot and the end

    async def read_while_publishing(self, queries: CaptureQueriesContext) -> tuple[list[int], str]:
        _response, stream = await self.open()
        await stream.until("event: position")
        counts = [len(queries.captured_queries)]
        for step in range(5):
            livefeed.publish_updates([self.moved(13.0 + step / 100, seconds=step)], [])
            await asyncio.sleep(0.05)
        await stream.drain()
        counts.append(len(queries.captured_queries))
        return counts, stream.text

    @override_settings(**LONG)
    async def test_a_device_it_did_not_know_brings_a_fresh_snapshot(self) -> None:
        _response, stream = await self.open()
        await stream.until("event: position")
        kid = await Child.objects.acreate(family=self.family, name="Ravi")
        new = await Device.objects.acreate(
            identifier="860000000000777", family=self.family, child=kid, lat=13.2, lon=80.2
        )
        row = self.moved(13.2)
        row.pk = new.pk
        livefeed.publish_updates([row], [])
        await stream.until('"name": "Ravi"')
        await stream.close()
        self.assertEqual({d["name"] for d in positions(stream.text)}, {"Asha", "Ravi"})

    @override_settings(**LONG)
    async def test_after_the_bus_comes_back_it_sends_a_fresh_snapshot(self) -> None:
        _response, stream = await self.open()
        await stream.until("event: position")
        await Device.objects.filter(pk=self.device.pk).aupdate(lat=12.5, lon=79.5)
        missed = await self.event("sos")  # while the bus was away: nobody heard of these
        hub = pubsub.current_hub()  # what a bus does when its connection drops and comes back
        hub.lost()
        await asyncio.sleep(0.01)
        for channel, generation in hub.generations().items():
            hub.confirmed(channel, generation)
        await stream.until("event: position", count=2)
        await stream.until("event: alert")
        await stream.close()
        self.assertEqual(positions(stream.text)[-1]["lat"], 12.5)
        self.assertIn(f'"id": {missed.pk}', stream.text)

    async def test_a_garbled_message_is_skipped_and_the_stream_goes_on(self) -> None:
        _response, stream = await self.open()
        await stream.until("event: position")
        channel = livefeed.channel(self.family.pk)
        pubsub.publish(channel, {"type": "position", "device": "x"})
        pubsub.publish(channel, {"type": "event"})
        pubsub.publish(channel, {"type": "position", "device": self.device.pk, "last_seen": 5})
        livefeed.publish_updates([self.moved(13.3)], [])
        await stream.drain()
        self.assertEqual([d["lat"] for d in positions(stream.text)][-1], 13.3)

    async def event(self, kind: str) -> Event:
        return await Event.objects.acreate(
            device=self.device,
            family=self.family,
            child=self.child,
            kind=kind,
            time=datetime.now(UTC) - timedelta(seconds=1),
            place=self.school,
        )
