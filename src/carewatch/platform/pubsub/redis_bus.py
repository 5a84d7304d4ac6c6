"""Live messages over Redis pub/sub (channels `<prefix>.family.42`), through redis-py.

For deployments that run Redis (the task queue) but no NATS. Redis pub/sub
channels ignore the database number, so the prefix is what keeps two
deployments on one server apart. redis-py's own retries are off: on any error
this bus drops the connection and makes a new one, and the hub hears "lost" and
then "back" (after a PING has come back through the subscriber connection,
which proves the server holds the subscriptions sent before it).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from carewatch.platform.pubsub.bus import ThreadedBus

PING_INTERVAL_S = 5.0  # a silently dead link is noticed within one interval and a round trip
ROUND_TRIP_S = 2.0


class RedisBus(ThreadedBus):
    name = "redis"

    async def connect(self) -> None:
        self.active = set()
        self._pongs: deque[asyncio.Future[None]] = deque()
        self._client = Redis.from_url(
            self.url,
            socket_connect_timeout=ROUND_TRIP_S,
            socket_keepalive=True,
            retry=Retry(NoBackoff(), 0),
        )
        try:
            await self._client.ping()
            self._pubsub: PubSub = self._client.pubsub()
            await self._pubsub.connect()
            self._reader = asyncio.get_running_loop().create_task(self._read())
            await self.on_connected()
        except BaseException:
            await self._drop()
            raise

    async def serve(self) -> None:
        """Pings through the subscriber connection until it fails, then drops it."""
        try:
            while not self._reader.done():
                await asyncio.wait({self._reader}, timeout=PING_INTERVAL_S)
                if not self._reader.done():
                    await self.apply([])
        except Exception as error:  # noqa: BLE001 - whatever broke, reconnect
            self.log.warn("ping", "Live bus redis: no answer: %s", error)
        finally:
            self.on_lost()
            await self._drop()

    async def send(self, batch: list[tuple[str, bytes]]) -> None:
        async with self._client.pipeline(transaction=False) as pipe:
            for channel, data in batch:
                pipe.publish(self.subject(channel), data)
            await pipe.execute()

    async def apply(self, changes: list[tuple[str, int]]) -> None:
        adds = [self.subject(c) for c, generation in changes if generation and c not in self.active]
        drops = [
            self.subject(c) for c, generation in changes if not generation and c in self.active
        ]
        if adds:
            await self._pubsub.subscribe(*adds)
        if drops:
            await self._pubsub.unsubscribe(*drops)
        self.active |= {c for c, generation in changes if generation}
        self.active -= {c for c, generation in changes if not generation}
        pong = asyncio.get_running_loop().create_future()
        self._pongs.append(pong)
        await self._pubsub.ping()
        await asyncio.wait_for(pong, ROUND_TRIP_S)

    async def disconnect(self, timeout: float) -> None:
        await self._drop()

    async def _read(self) -> None:
        while True:
            message = await self._pubsub.get_message(timeout=None)
            if not message:
                continue
            if message["type"] == "message":
                self.received(message["channel"].decode(), message["data"])
            elif message["type"] == "pong" and self._pongs:
                pong = self._pongs.popleft()
                if not pong.done():
                    pong.set_result(None)

    async def _drop(self) -> None:
        reader = getattr(self, "_reader", None)
        if reader is not None:
            reader.cancel()
            with contextlib.suppress(BaseException):
                await reader
        for pong in self._pongs:
            pong.cancel()
        with contextlib.suppress(Exception):
            await self._client.aclose()
        pubsub = getattr(self, "_pubsub", None)
        if pubsub is not None:
            with contextlib.suppress(Exception):
                await pubsub.aclose()
