"""The live stream across processes (embedded, NATS, Redis): a position published by another
process reaches the map, and a map whose bus died and came back catches up with a snapshot."""

from __future__ import annotations

import asyncio
from typing import Any

from django.test import override_settings
from django.urls import reverse

from carewatch.kids.tracker.models import Device
from carewatch.platform import pubsub
from tests.kids.tracker.base import TrackerTestCase
from tests.kids.tracker.test_live import LONG, Stream, positions
from tests.platform.buses import (
    private_server,
    publish_from_another_process,
    shared_bus,
    unique_prefix,
)


@override_settings(**LONG)
class LiveStreamOverNatsTests(TrackerTestCase):
    async def open(self) -> Stream:
        await self.async_client.aforce_login(self.alice)
        response = await self.async_client.get(reverse("tracker:live", args=[self.family.pk]))
        return Stream(response)

    async def test_a_position_published_by_another_process_reaches_the_open_map_nats(
        self,
    ) -> None:
        await self.a_position_published_by_another_process_reaches_the_open_map("nats")

    async def test_a_position_published_by_another_process_reaches_the_open_map_redis(
        self,
    ) -> None:
        await self.a_position_published_by_another_process_reaches_the_open_map("redis")

    async def test_a_position_published_by_another_process_reaches_the_open_map_embedded(
        self,
    ) -> None:
        await self.a_position_published_by_another_process_reaches_the_open_map("local")

    async def test_a_map_whose_nats_died_gets_a_fresh_snapshot_when_it_is_back(self) -> None:
        await self.a_map_whose_bus_died_gets_a_fresh_snapshot_when_it_is_back("nats")

    async def test_a_map_whose_redis_died_gets_a_fresh_snapshot_when_it_is_back(self) -> None:
        await self.a_map_whose_bus_died_gets_a_fresh_snapshot_when_it_is_back("redis")

    async def a_position_published_by_another_process_reaches_the_open_map(self, kind: str) -> None:
        url, prefix = shared_bus(kind), unique_prefix()
        with self.settings(PUBSUB_URL=url, PUBSUB_PREFIX=prefix):
            self.assertEqual(pubsub.backend_name(), kind)  # "local" reaches this machine
            stream = await self.open()
            await stream.until("event: position")
            family, device = self.family.pk, self.device.pk
            await asyncio.to_thread(publish_from_another_process, url, prefix, family, device, 13.4)
            await stream.until('"lat": 13.4')
            await stream.close()
        moved = positions(stream.text)[-1]
        self.assertEqual((moved["id"], moved["name"], moved["battery"]), (device, "Asha", 61))

    async def a_map_whose_bus_died_gets_a_fresh_snapshot_when_it_is_back(self, kind: str) -> None:
        with private_server(kind) as server, self.settings(PUBSUB_URL=server.url):
            stream = await self.open()
            await stream.until("event: position")
            server.kill()
            await self.until_lost()
            # Written while the bus was away: no message will ever say so.
            await Device.objects.filter(pk=self.device.pk).aupdate(lat=12.5, lon=79.5)
            server.start()
            await stream.until("event: position", count=2)
            await stream.close()
        self.assertEqual(positions(stream.text)[-1]["lat"], 12.5)

    async def until_lost(self) -> None:
        hub: Any = pubsub.current_hub()
        for _ in range(500):
            if not hub.backend.connected:
                return
            await asyncio.sleep(0.01)
        self.fail("The bus never noticed its server die.")
