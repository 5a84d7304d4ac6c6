"""The ingest log on NATS JetStream (when NATS_URL is set).

Two streams stored on file: `<PREFIX>_POSITIONS` (subjects `<prefix>.ingest.<partition>`)
and `<PREFIX>_ALARMS` (`<prefix>.alarm.<partition>`), the fast lane. `append` returns
once JetStream has acknowledged every publish (each partition's group is one message,
published concurrently); a message id lets JetStream drop a publish repeated within
two minutes. Workers keep their offsets in the database (see processing.py), so the
streams are read with ordered push consumers from the committed offset on, one per
owned partition and lane, and trimmed (purged per subject) once processed.

nats-py is asyncio and a connection belongs to one event loop: the log runs its own
loop in a thread, and every call, from any thread or loop, is handed to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, TypeVar

import nats
from nats.js import api

from carewatch.kids.ingest import codec
from carewatch.kids.ingest.log import NORMAL, URGENT, Backlog, LogMessage
from carewatch.kids.tracking.model import Fix
from carewatch.platform.lib import loops
from carewatch.platform.lib.futures import error_of

T = TypeVar("T")
BUFFER = 2_000  # messages held per partition before the consumer is slowed down
FIXES_HEADER = "Carewatch-Fixes"
RETAIN_S = 7 * 24 * 3600.0  # what no worker processed in a week is dropped by JetStream


class JetStreamLog:
    def __init__(self, url: str, partitions: int, prefix: str = "CAREWATCH") -> None:
        self.url, self.partitions, self.prefix = url, partitions, prefix
        self.name = f"nats:{prefix}"
        self.streams = {NORMAL: f"{prefix}_POSITIONS", URGENT: f"{prefix}_ALARMS"}
        base = prefix.lower()
        self.subjects = {NORMAL: f"{base}.ingest", URGENT: f"{base}.alarm"}
        self._loop = loops.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="nats")
        self._thread.start()
        self._nc: Any = None
        self._js: Any = None
        self._ready: asyncio.Lock | None = None
        self._subs: dict[tuple[int, int], Any] = {}
        self._buffers: dict[tuple[int, int], deque[LogMessage]] = {}
        self._returned: dict[tuple[int, int], int] = {}
        self._arrived: dict[int, asyncio.Event] = {}
        self._drained: dict[tuple[int, int], asyncio.Event] = {}

    def subject(self, lane: int, partition: int) -> str:
        return f"{self.subjects[lane]}.{partition}"

    # --- running on the log's own loop -----------------------------------------------

    def _submit(self, work: Coroutine[Any, Any, T]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self._loop)

    async def _here(self, work: Coroutine[Any, Any, T]) -> T:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            return await work
        return await asyncio.wrap_future(self._submit(work))

    async def _connect(self) -> Any:
        if self._ready is None:
            self._ready = asyncio.Lock()
        async with self._ready:
            if self._js is None:
                self._nc = await nats.connect(
                    self.url.split(","), max_reconnect_attempts=-1, connect_timeout=5
                )
                self._js = self._nc.jetstream(timeout=10)
                for lane, stream in self.streams.items():
                    await self._ensure_stream(stream, f"{self.subjects[lane]}.*")
        return self._js

    async def _ensure_stream(self, name: str, subjects: str) -> None:
        config = api.StreamConfig(
            name=name,
            subjects=[subjects],
            storage=api.StorageType.FILE,
            retention=api.RetentionPolicy.LIMITS,
            max_age=RETAIN_S,
            duplicate_window=120.0,
        )
        try:
            await self._js.stream_info(name)
        except nats.js.errors.NotFoundError:
            await self._js.add_stream(config)

    # --- appending ---------------------------------------------------------------

    def append_sync(self, fixes: Sequence[Fix]) -> None:
        self._submit(self._append(fixes)).result()

    async def append(self, fixes: Sequence[Fix]) -> None:
        await self._here(self._append(fixes))

    def append_then(
        self, fixes: Sequence[Fix], done: Callable[[BaseException | None], None]
    ) -> None:
        """Starts an append from any thread and returns; `done(error or None)` is called from
        the log's thread once JetStream acknowledged it (the gateways' way in: no
        coroutine of theirs waits on it)."""
        appending = self._submit(self._append(fixes))
        appending.add_done_callback(lambda future: done(error_of(future)))

    async def _append(self, fixes: Sequence[Fix]) -> None:
        js = await self._connect()
        publishes = []
        for (partition, lane), group in codec.split(fixes, self.partitions).items():
            body = codec.encode(group)
            headers = {
                "Nats-Msg-Id": hashlib.blake2b(body, digest_size=12).hexdigest(),
                FIXES_HEADER: str(len(group)),
            }
            subject = self.subject(lane, partition)
            publishes.append(js.publish(subject, body, stream=self.streams[lane], headers=headers))
        await asyncio.gather(*publishes)

    async def close(self) -> None:
        await self._here(self._close())

    async def _close(self) -> None:
        if self._nc is not None:
            await self._nc.drain()
            self._nc = self._js = None

    # --- reading -------------------------------------------------------------------

    async def read(
        self, lane: int, after: Mapping[int, int], limit: int, wait_s: float
    ) -> list[LogMessage]:
        return await self._here(self._read(lane, dict(after), limit, wait_s))

    async def _read(
        self, lane: int, after: dict[int, int], limit: int, wait_s: float
    ) -> list[LogMessage]:
        await self._connect()
        arrived = self._arrived.setdefault(lane, asyncio.Event())
        for key in [k for k in self._subs if k[1] == lane and k[0] not in after]:
            await self._unsubscribe(key)
        for partition, seq in after.items():
            key = (partition, lane)
            if key not in self._subs or self._returned.get(key) != seq:
                await self._subscribe(key, seq)
        deadline = time.monotonic() + wait_s
        while True:
            found = self._take(lane, after, limit)
            left = deadline - time.monotonic()
            if found or left <= 0:
                return found
            arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(arrived.wait(), left)

    def _take(self, lane: int, after: Mapping[int, int], limit: int) -> list[LogMessage]:
        found: list[LogMessage] = []
        for partition in after:
            key = (partition, lane)
            buffer = self._buffers.get(key)
            while buffer and len(found) < limit:
                found.append(buffer.popleft())
                self._returned[key] = found[-1].seq
            if buffer is not None and len(buffer) < BUFFER:
                self._drained[key].set()
        return found

    async def _subscribe(self, key: tuple[int, int], after: int) -> None:
        """An ordered consumer from `after` on (a new partition, or back after a failure)."""
        await self._unsubscribe(key)
        partition, lane = key
        buffer: deque[LogMessage] = deque()
        drained = asyncio.Event()
        drained.set()
        arrived = self._arrived.setdefault(lane, asyncio.Event())

        async def received(msg: Any) -> None:
            meta = msg.metadata
            stamp = meta.timestamp.timestamp() if meta.timestamp else time.time()
            count = int((msg.headers or {}).get(FIXES_HEADER, 1))
            seq = meta.sequence.stream
            buffer.append(LogMessage(partition, lane, seq, msg.data, stamp, count))
            arrived.set()
            if len(buffer) >= BUFFER:  # the worker is behind: stop taking more for now
                drained.clear()
                await drained.wait()

        config = api.ConsumerConfig(
            deliver_policy=api.DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=after + 1
        )
        self._buffers[key], self._drained[key], self._returned[key] = buffer, drained, after
        self._subs[key] = await self._js.subscribe(
            self.subject(lane, partition),
            stream=self.streams[lane],
            cb=received,
            ordered_consumer=True,
            config=config,
            idle_heartbeat=2.0,
        )

    async def _unsubscribe(self, key: tuple[int, int]) -> None:
        sub = self._subs.pop(key, None)
        self._buffers.pop(key, None)
        drained = self._drained.pop(key, None)
        if drained is not None:
            drained.set()
        if sub is not None:
            with contextlib.suppress(Exception):  # a consumer already gone is fine
                await sub.unsubscribe()

    async def trim(self, lane: int, processed: Mapping[int, int]) -> None:
        await self._here(self._trim(lane, dict(processed)))

    async def _trim(self, lane: int, processed: dict[int, int]) -> None:
        js = await self._connect()
        for partition, seq in processed.items():
            subject = self.subject(lane, partition)
            await js.purge_stream(self.streams[lane], subject=subject, seq=seq + 1)

    async def backlog(self, lane: int, after: Mapping[int, int]) -> dict[int, Backlog]:
        return await self._here(self._backlog(lane, dict(after)))

    async def _backlog(self, lane: int, after: dict[int, int]) -> dict[int, Backlog]:
        js = await self._connect()
        found = {}
        for partition, seq in after.items():
            subject = self.subject(lane, partition)
            try:
                first = await js.get_msg(self.streams[lane], seq + 1, subject=subject, next=True)
            except nats.js.errors.NotFoundError:
                found[partition] = Backlog(0, None)
                continue
            oldest = _stamp(first)
            info = await js.add_consumer(
                self.streams[lane],
                api.ConsumerConfig(
                    filter_subject=subject,
                    deliver_policy=api.DeliverPolicy.BY_START_SEQUENCE,
                    opt_start_seq=seq + 1,
                    ack_policy=api.AckPolicy.NONE,
                    inactive_threshold=5.0,
                    mem_storage=True,
                ),
            )
            await js.delete_consumer(self.streams[lane], info.name)
            found[partition] = Backlog(int(info.num_pending), oldest)
        return found

    async def delete_streams(self) -> None:
        """For tests and benchmarks: remove both streams."""
        await self._here(self._delete_streams())

    async def _delete_streams(self) -> None:
        js = await self._connect()
        for stream in self.streams.values():
            with contextlib.suppress(nats.js.errors.NotFoundError):
                await js.delete_stream(stream)
        await self._close()


def _stamp(message: Any) -> float | None:
    raw = getattr(message, "time", None)
    return raw.timestamp() if raw is not None else None
