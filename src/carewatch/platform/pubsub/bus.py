"""The in-process backend, and the frame every networked backend shares.

A networked backend runs its client in a daemon thread with its own event loop,
so `publish` works from any thread (an ingest worker, a Huey task, a view) and
costs the caller a deque append: messages queue in a bounded outbox and leave in
batches. While the bus is away the outbox holds what it can and the rest is
dropped with a log line; subscribers catch up from the database (RESYNC).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections import deque
from typing import Any

from carewatch.platform.pubsub.hub import Hub

logger = logging.getLogger("carewatch.pubsub")

MAX_OUTBOX = 50_000  # messages held while the bus is unreachable (about 10 MB)
RETRY_S = 0.5  # first wait before connecting again; doubles up to MAX_RETRY_S
MAX_RETRY_S = 5.0


class LocalBackend:
    """Everything in one process (the embedded default): publish is delivery."""

    name = "local"

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    def publish(self, channel: str, data: bytes) -> None:
        if self.hub.listening(channel):  # most families have no map open
            self.hub.deliver(channel, json.loads(data))

    def want(self, channel: str, generation: int) -> None:
        self.hub.confirmed(channel, generation)

    def unwant(self, channel: str) -> None:
        pass

    def close(self, timeout: float) -> None:
        pass


class Throttled:
    """A warning at most every `every_s` seconds, counting the ones it kept quiet."""

    def __init__(self, every_s: float = 10.0) -> None:
        self.every_s = every_s
        self._last: dict[str, float] = {}
        self._quiet: dict[str, int] = {}

    def warn(self, key: str, text: str, *args: Any) -> None:
        clock = time.monotonic()
        if clock - self._last.get(key, -self.every_s) < self.every_s:
            self._quiet[key] = self._quiet.get(key, 0) + 1
            return
        self._last[key] = clock
        quiet = self._quiet.pop(key, 0)
        logger.warning(text + (f" ({quiet} more like this)" if quiet else ""), *args)


class ThreadedBus:
    """A bus client in its own thread: subclasses connect, subscribe and send batches."""

    name = "bus"

    def __init__(self, hub: Hub, url: str, prefix: str) -> None:
        self.hub, self.url, self.prefix = hub, url, prefix
        self.log = Throttled()
        self.connected = False
        self.closing = False
        self._close_called = False
        self.wanted: dict[str, int] = {}  # channel -> generation, owned by the loop thread
        self.active: set[str] = set()  # channels the current connection is subscribed to
        self.sent = 0
        self._sending = False
        self._outbox: deque[tuple[str, bytes]] = deque()
        self._wake_lock = threading.Lock()
        self._wake_pending = False
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"pubsub-{self.name}", daemon=True)
        self._thread.start()
        self._started.wait()

    # --- Any thread ---------------------------------------------------------------------

    def publish(self, channel: str, data: bytes) -> None:
        if len(self._outbox) >= MAX_OUTBOX:
            self.log.warn("full", "Live bus %s away: outbox full, message dropped.", self.name)
            return
        self._outbox.append((channel, data))
        with self._wake_lock:
            if self._wake_pending:
                return
            self._wake_pending = True
        self._soon(self._outbox_ready.set)

    def want(self, channel: str, generation: int) -> None:
        self._soon(self._interest.put_nowait, (channel, generation))

    def unwant(self, channel: str) -> None:
        self._soon(self._interest.put_nowait, (channel, 0))

    def close(self, timeout: float) -> None:
        """Send what is queued (for up to `timeout` s), then disconnect and stop the thread."""
        if self._close_called or self._loop.is_closed():
            return
        self._close_called = True
        done = asyncio.run_coroutine_threadsafe(self._shutdown(timeout), self._loop)
        try:
            done.result(timeout + 1.0)
        except Exception:  # noqa: BLE001 - closing must not fail the caller
            logger.warning("Live bus %s did not close cleanly.", self.name, exc_info=True)
        self._soon(self._loop.stop)
        self._thread.join(timeout=1.0)

    def _soon(self, callback: Any, *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed: the process is ending
            self._loop.call_soon_threadsafe(callback, *args)

    # --- The bus thread -------------------------------------------------------------------

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._outbox_ready = asyncio.Event()
        self._interest: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        self._tasks = [
            self._loop.create_task(self._keep_connected()),
            self._loop.create_task(self._send_loop()),
            self._loop.create_task(self._interest_loop()),
        ]
        self._started.set()
        try:
            self._loop.run_forever()
        finally:
            for task in self._tasks:
                task.cancel()
            self._loop.run_until_complete(asyncio.gather(*self._tasks, return_exceptions=True))
            self._loop.close()

    async def _keep_connected(self) -> None:
        """Connects, and connects again whenever the connection ends, waiting longer each time."""
        wait = RETRY_S
        while not self.closing:
            try:
                await self.connect()
            except Exception as error:  # noqa: BLE001 - any failure means "try again later"
                self.log.warn("connect", "Live bus %s unreachable: %s", self.name, error)
                await asyncio.sleep(wait)
                wait = min(wait * 2, MAX_RETRY_S)
                continue
            wait = RETRY_S
            await self.serve()

    async def on_connected(self) -> None:
        """Subscribe to what is wanted now, tell the hub, and send what waited.

        Interest may change while `apply` awaits the server: loop until nothing is
        left to apply, and only then (no await in between) count as connected.
        """
        changes: list[tuple[str, int]] = []
        while True:
            await self.apply(changes)
            changes = [(c, g) for c, g in self.wanted.items() if c not in self.active]
            changes += [(c, 0) for c in self.active if c not in self.wanted]
            if not changes:
                break
        self.connected = True
        for channel, generation in self.wanted.items():
            self.hub.confirmed(channel, generation)
        self._outbox_ready.set()

    def on_lost(self) -> None:
        if self.connected:
            self.connected = False
            self.hub.lost()

    async def _send_loop(self) -> None:
        while True:
            await self._outbox_ready.wait()
            self._outbox_ready.clear()
            with self._wake_lock:
                self._wake_pending = False
            if not self.connected:
                continue  # on_connected sets the event again
            batch = [self._outbox.popleft() for _ in range(len(self._outbox))]
            self._sending = True
            try:
                await self.send(batch)
                self.sent += len(batch)
            except Exception as error:  # noqa: BLE001 - a broken bus never reaches publishers
                self.log.warn("send", "Live bus %s dropped %d: %s", self.name, len(batch), error)
            finally:
                self._sending = False

    async def _interest_loop(self) -> None:
        while True:
            changes = [await self._interest.get()]
            while not self._interest.empty():
                changes.append(self._interest.get_nowait())
            for channel, generation in changes:
                if generation:
                    self.wanted[channel] = generation
                else:
                    self.wanted.pop(channel, None)
            if not self.connected:
                continue  # on_connected subscribes to everything wanted
            try:
                await self.apply(changes)
            except Exception as error:  # noqa: BLE001 - the reconnect path resubscribes
                self.log.warn("subscribe", "Live bus %s could not subscribe: %s", self.name, error)
                continue
            if not self.connected:
                continue  # lost meanwhile: on_connected confirms after resubscribing
            for channel, generation in changes:
                if generation and self.wanted.get(channel) == generation:
                    self.hub.confirmed(channel, generation)

    async def _shutdown(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while (self._outbox or self._sending) and time.monotonic() < deadline:
            self._outbox_ready.set()  # sent once connected (if that happens in time)
            await asyncio.sleep(0.01)
        self.closing = True  # only now: connecting may be what the outbox waited for
        await self.disconnect(max(0.1, deadline - time.monotonic()))

    # --- For subclasses ------------------------------------------------------------------

    def subject(self, channel: str) -> str:
        return f"{self.prefix}.{channel}"

    def channel(self, subject: str) -> str | None:
        head = self.prefix + "."
        return subject[len(head) :] if subject.startswith(head) else None

    def received(self, subject: str, data: bytes) -> None:
        channel = self.channel(subject)
        if channel is None:
            return
        try:
            message = json.loads(data)
        except ValueError:
            self.log.warn("garbage", "Live bus %s: not JSON on %s", self.name, subject)
            return
        if isinstance(message, dict):
            self.hub.deliver(channel, message)

    async def connect(self) -> None:
        """Open a connection (`active` as that connection has it), then await on_connected()."""
        raise NotImplementedError

    async def serve(self) -> None:
        """Return when the connection is gone for good (a reconnect is needed)."""
        raise NotImplementedError

    async def send(self, batch: list[tuple[str, bytes]]) -> None:
        raise NotImplementedError

    async def apply(self, changes: list[tuple[str, int]]) -> None:
        """Subscribe (generation > 0) or unsubscribe (0), keep `active` up to date, and return
        once the server has them (a round trip even when there are no changes)."""
        raise NotImplementedError

    async def disconnect(self, timeout: float) -> None:
        raise NotImplementedError
