"""Live messages over NATS core subjects (`<prefix>.family.42`), through nats-py.

nats-py reconnects by itself and sends our subscriptions again; we hear of it in
its callbacks, pass "lost" to the hub at once and "back" after a round trip has
proved the server holds our subscriptions again.
"""

from __future__ import annotations

import asyncio
from typing import Any

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

from carewatch.platform.pubsub.bus import RETRY_S, ThreadedBus

PING_INTERVAL_S = 5  # a silently dead link is noticed within about 3 pings
ROUND_TRIP_S = 2


class NatsBus(ThreadedBus):
    name = "nats"

    nc: Client | None = None

    async def connect(self) -> None:
        self._gone = asyncio.Event()
        self._subs: dict[str, Subscription] = {}
        self.active = set()
        # With unlimited attempts nats.connect itself waits for a server that is down.
        self.nc = await nats.connect(
            servers=[self.url],
            name="carewatch-live",
            allow_reconnect=True,
            max_reconnect_attempts=-1,
            reconnect_time_wait=RETRY_S,
            connect_timeout=2,
            ping_interval=PING_INTERVAL_S,
            max_outstanding_pings=2,
            error_cb=self._error,
            disconnected_cb=self._disconnected,
            reconnected_cb=self._reconnected,
            closed_cb=self._closed,
        )
        await self.on_connected()

    async def serve(self) -> None:
        await self._gone.wait()
        self.on_lost()

    async def send(self, batch: list[tuple[str, bytes]]) -> None:
        assert self.nc is not None
        for channel, data in batch:
            await self.nc.publish(self.subject(channel), data)

    async def apply(self, changes: list[tuple[str, int]]) -> None:
        assert self.nc is not None
        for channel, generation in changes:
            if generation and channel not in self._subs:
                self._subs[channel] = await self.nc.subscribe(
                    self.subject(channel), cb=self._message
                )
            elif not generation and channel in self._subs:
                await self._subs.pop(channel).unsubscribe()
        self.active = set(self._subs)
        await self.nc.flush(timeout=ROUND_TRIP_S)

    async def disconnect(self, timeout: float) -> None:
        if self.nc is None or self.nc.is_closed:
            return
        try:
            await asyncio.wait_for(self.nc.flush(), timeout)
        finally:
            await self.nc.close()

    async def _message(self, msg: Msg) -> None:
        self.received(msg.subject, msg.data)

    async def _error(self, error: Exception) -> None:
        self.log.warn("error", "Live bus nats: %s", error or type(error).__name__)

    async def _disconnected(self) -> None:
        self.on_lost()

    async def _reconnected(self) -> None:
        # Not awaited here: this callback runs inside nats-py's reconnect, and the
        # round trip in on_connected needs that to have finished.
        asyncio.get_running_loop().create_task(self._back())

    async def _back(self) -> None:
        try:
            await self.on_connected()
        except Exception as error:  # noqa: BLE001 - lost again: the next reconnect retries
            self.log.warn("back", "Live bus nats: resubscribing failed: %s", error)

    async def _closed(self, *args: Any) -> None:
        self._gone.set()
