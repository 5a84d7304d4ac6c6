"""The live stream (server-sent events): members only, positions as devices move, new alerts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.http import StreamingHttpResponse
from django.test import override_settings
from django.urls import reverse

from carewatch.kids.tracker.ingestion import ingest_fixes
from carewatch.kids.tracker.models import Child, Device, Event
from carewatch.kids.tracking import Fix
from tests.kids.tracker.base import TrackerTestCase

# Short enough that a test reads a whole stream in about a second.
FAST = {"TRACKER_LIVE_POLL_SECONDS": 0.05, "TRACKER_LIVE_LIFETIME_SECONDS": 1.0}


def parse(text: str) -> list[tuple[str, dict[str, Any]]]:
    """The (event, data) pairs of an event-stream text; comments and `retry:` are skipped."""
    found = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            found.append((fields["event"], json.loads(fields["data"])))
    return found


class Stream:
    def __init__(self, response: StreamingHttpResponse) -> None:
        self.chunks: AsyncIterator[bytes] = aiter(response.streaming_content)
        self.text = ""

    async def until(self, needle: str) -> str:
        while needle not in self.text:
            self.text += (await asyncio.wait_for(anext(self.chunks), timeout=5)).decode()
        return self.text

    async def drain(self) -> str:
        async for chunk in self.chunks:
            self.text += chunk.decode()
        return self.text


@override_settings(**FAST)
class LiveStreamTests(TrackerTestCase):
    def url(self) -> str:
        return reverse("tracker:live", args=[self.family.pk])

    async def open(self, headers: dict[str, str] | None = None) -> tuple[Any, Stream]:
        await self.async_client.aforce_login(self.alice)
        response = await self.async_client.get(self.url(), headers=headers or {})
        return response, Stream(response)

    def test_it_is_404_for_an_outsider_and_a_visitor(self) -> None:
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

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
        self.assertEqual(rest, [])  # nothing moved: each device is sent once

    async def test_it_sends_a_position_when_ingestion_moves_the_device(self) -> None:
        _response, stream = await self.open()
        await stream.until("event: position")
        now = datetime.now(UTC)
        fix = Fix(self.device.identifier, now, 13.09, 80.28, accuracy_m=12, battery=55)
        await sync_to_async(ingest_fixes)([fix], now=now)
        await stream.until('"lat": 13.09')
        await stream.drain()
        moved = [data for kind, data in parse(stream.text) if kind == "position"][-1]
        self.assertEqual((moved["lat"], moved["lon"], moved["battery"]), (13.09, 80.28, 55))
        self.assertEqual(moved["accuracy"], 12)
        self.assertEqual(moved["status"], "online")

    async def test_it_sends_alerts_that_happen_while_it_is_open(self) -> None:
        old = await self.event("low_battery")
        _response, stream = await self.open()
        await stream.until("event: position")
        new = await self.event("place_exit")
        await stream.drain()
        alerts = [data for kind, data in parse(stream.text) if kind == "alert"]
        self.assertEqual([alert["id"] for alert in alerts], [new.pk])
        self.assertEqual(alerts[0]["text"], "Left a place · School · Asha")
        self.assertNotEqual(old.pk, new.pk)
        self.assertIn(f"id: {new.pk}\n", stream.text)

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
        await Event.objects.acreate(
            device=other, family=self.charlies_family, kind="sos", time=datetime.now(UTC)
        )
        _response, stream = await self.open(headers={"Last-Event-ID": "0"})
        await stream.drain()
        self.assertNotIn("Zed", stream.text)
        self.assertEqual([data["id"] for _kind, data in parse(stream.text)], [self.device.pk])

    @override_settings(TRACKER_LIVE_HEARTBEAT_SECONDS=0.2)
    async def test_it_sends_a_heartbeat_comment_when_nothing_happens(self) -> None:
        _response, stream = await self.open()
        await stream.drain()
        self.assertIn(": heartbeat\n\n", stream.text)

    async def event(self, kind: str) -> Event:
        return await Event.objects.acreate(
            device=self.device,
            family=self.family,
            child=self.child,
            kind=kind,
            time=datetime.now(UTC) - timedelta(seconds=1),
            place=self.school,
        )
