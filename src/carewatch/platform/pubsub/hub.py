"""One process's subscribers: fan-out to their event loops, and what the bus must carry.

The hub holds every open subscription of the process (an SSE stream is one) and
asks its backend for a channel only while someone listens to it, so one bus
connection per process serves any number of open maps. Messages reach each
subscriber's own event loop through `call_soon_threadsafe`, whatever thread the
bus runs in.

A subscriber that may have missed messages (its bus dropped and came back, or it
fell too far behind) receives RESYNC: read the state afresh.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import Iterable
from typing import Any, Protocol

from carewatch.platform.pubsub.config import check_channel

logger = logging.getLogger("carewatch.pubsub")

Message = dict[str, Any]
Item = tuple[str, Message]
RESYNC = ""  # the channel of the "read the state afresh" item; no real channel is empty
MAX_QUEUED = 1000  # per subscriber: beyond this it is too far behind to catch up message by message


class Backend(Protocol):
    """Carries bytes between processes (or within one): the hub calls these from any thread."""

    name: str

    def publish(self, channel: str, data: bytes) -> None: ...
    def want(self, channel: str, generation: int) -> None: ...
    def unwant(self, channel: str) -> None: ...
    def close(self, timeout: float) -> None: ...


class Subscription:
    """An async iterator of (channel, message); `async with` closes it.

    It registers at once, so call `await ready()` before reading the state it
    follows: after that, nothing published is missed (or RESYNC says so).
    """

    def __init__(self, hub: Hub, channels: Iterable[str]) -> None:
        self.channels = tuple(dict.fromkeys(check_channel(name) for name in channels))
        self.loop = asyncio.get_running_loop()
        self._hub = hub
        self._items: deque[Item] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._unconfirmed = set(self.channels)
        self._live = asyncio.Event()
        self._started = False  # ready() has returned: the reader has read its state
        self._needs_resync = False
        self._closed = False
        hub.add(self)

    async def ready(self, timeout: float = 1.0) -> bool:
        """Wait until the bus carries every channel; False if it did not within `timeout`.

        On False the reader goes on without the bus: RESYNC comes once it is back.
        """
        try:
            await asyncio.wait_for(self._live.wait(), timeout)
        except TimeoutError:
            self._needs_resync = True
        self._started = True
        return self._live.is_set()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Item:
        while not self._items:
            if self._closed:
                raise StopAsyncIteration
            self._waiter = self.loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.popleft()

    def drain(self) -> list[Item]:
        """Everything already queued, without waiting (to relay a burst in one write)."""
        items = list(self._items)
        self._items.clear()
        return items

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._hub.remove(self)
            self._wake()

    # --- Called in this subscription's loop (the hub schedules them there) -----------

    def _push(self, item: Item) -> None:
        if self._closed:
            return
        if len(self._items) >= MAX_QUEUED:
            logger.warning("Live subscriber fell %d messages behind: resyncing.", MAX_QUEUED)
            self._items.clear()
            item = (RESYNC, {"type": "resync", "reason": "overflow"})
        self._items.append(item)
        self._wake()

    def _confirmed(self, channel: str) -> None:
        self._unconfirmed.discard(channel)
        if self._unconfirmed or self._live.is_set():
            return
        self._live.set()
        if self._needs_resync:
            self._needs_resync = False
            self._push((RESYNC, {"type": "resync", "reason": "reconnected"}))

    def _lost(self) -> None:
        if self._started or self._live.is_set():
            self._needs_resync = True
        self._live.clear()
        self._unconfirmed = set(self.channels)

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


class Hub:
    def __init__(self) -> None:
        self.backend: Backend | None = None
        self._lock = threading.Lock()
        self._subs: dict[str, set[Subscription]] = {}
        self._confirmed: set[str] = set()
        self._generation: dict[str, int] = {}  # bumped each time a channel is wanted anew
        self._counter = 0

    def attach(self, backend: Backend) -> None:
        self.backend = backend

    def add(self, sub: Subscription) -> None:
        wanted: list[tuple[str, int]] = []
        with self._lock:
            for channel in sub.channels:
                listeners = self._subs.setdefault(channel, set())
                if not listeners:
                    self._counter += 1
                    self._generation[channel] = self._counter
                    wanted.append((channel, self._counter))
                listeners.add(sub)
            confirmed = [channel for channel in sub.channels if channel in self._confirmed]
        for channel in confirmed:
            sub._confirmed(channel)  # add() runs in the subscriber's own loop
        assert self.backend is not None
        for channel, generation in wanted:
            self.backend.want(channel, generation)

    def remove(self, sub: Subscription) -> None:
        dropped: list[str] = []
        with self._lock:
            for channel in sub.channels:
                listeners = self._subs.get(channel)
                if listeners is None:
                    continue
                listeners.discard(sub)
                if not listeners:
                    del self._subs[channel]
                    self._confirmed.discard(channel)
                    dropped.append(channel)
        if self.backend is not None:
            for channel in dropped:
                self.backend.unwant(channel)

    def listening(self, channel: str) -> bool:
        return bool(self._subs.get(channel))  # one dict read: atomic, no lock needed

    def deliver(self, channel: str, message: Message) -> None:
        with self._lock:
            listeners = list(self._subs.get(channel, ()))
        for sub in listeners:
            self._call(sub, sub._push, (channel, message))

    def confirmed(self, channel: str, generation: int) -> None:
        """The bus now carries `channel` (as wanted at `generation`)."""
        with self._lock:
            if self._generation.get(channel) != generation or channel not in self._subs:
                return  # an answer to an interest that has since been dropped
            self._confirmed.add(channel)
            listeners = list(self._subs[channel])
        for sub in listeners:
            self._call(sub, sub._confirmed, channel)

    def lost(self) -> None:
        """The bus connection dropped: whatever is published now may never arrive."""
        with self._lock:
            self._confirmed.clear()
            listeners = {sub for subs in self._subs.values() for sub in subs}
        for sub in listeners:
            self._call(sub, sub._lost)

    def generations(self) -> dict[str, int]:
        with self._lock:
            return {channel: self._generation[channel] for channel in self._subs}

    def _call(self, sub: Subscription, method: Any, *args: Any) -> None:
        try:
            sub.loop.call_soon_threadsafe(method, *args)
        except RuntimeError:  # its event loop has closed without closing it
            self.remove(sub)
