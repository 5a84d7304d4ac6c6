"""The watch protocol's TCP server (asyncio, one process holds thousands of watches).

Per connection: frames are cut by `protocols.watch.WatchFramer`, decoded by
`protocols.watch.decode`; the first frame names the device, which must be a paired watch
(else the connection is cut, and the id logged once per interval). Fixes are handed to
the ingest log through `BatchingLog.submit` (no task per frame) and replies are written
only once the log has them durable, so a reply means the position is safe. While a
connection's fixes are being appended it stops reading: one device's frames stay in
order, and a slow log slows only the devices waiting on it.

Alarms first, however busy: each turn of the event loop decodes at most TURN_BUDGET
frames; frames read beyond that wait for the next turn, their connections paused,
except AL frames (SOS, fall, removed), which are decoded and appended at once, in their
own lane of the log. Measured under a flood of positions this bounds how long an SOS
waits to be read; without it one turn decoded every ready connection's frames.

No Django here: the device directory and the command channel are passed in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter, deque
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, cast

from carewatch.kids.gateways.batching import BatchingLog
from carewatch.kids.gateways.commands import answer_word
from carewatch.kids.gateways.config import GatewayConfig
from carewatch.kids.gateways.limits import STATS, OncePerInterval, Stats
from carewatch.kids.ingest.log import IngestLog
from carewatch.kids.protocols import watch
from carewatch.kids.protocols.messages import Decoded, ProtocolError

log = logging.getLogger(__name__)

WATCH = "watch"
MAX_BAD_FRAMES = 5  # undecodable frames in a row before the connection is cut
WRITE_BUFFER_HIGH = 64 * 1024  # a device that does not read its replies is cut
# Frames decoded per turn of the event loop (under 2 ms of work); frames read beyond it
# wait for the next turn, except alarms. Measured with a loop-lag probe under the bench's
# full load: at 500 a turn took 30 ms at the median and an SOS's reply waited up to 130 ms
# (p99) in the gateway; at 50, 5 ms and 54 ms, for the same CPU per frame.
TURN_BUDGET = 50
COMMAND_CHECK_S = 0.05  # watches identified within this are asked about in one query


class DeviceLookup(Protocol):
    async def alookup(self, identifier: str) -> Any | None:
        """The paired device (with a `.protocol`) or None."""
        ...


@dataclass(frozen=True, slots=True)
class PendingCommand:
    id: int
    text: str


class CommandChannel(Protocol):
    """Where downlink commands come from and their outcome goes (the database, in products)."""

    async def pending(self, identifier: str) -> list[PendingCommand]:
        """Queued commands for this device, oldest first, each claimed as sent."""
        ...

    async def unsent(self, identifiers: Sequence[str]) -> list[str]:
        """Which of these devices have queued commands (expiring old ones first)."""
        ...

    async def answered(self, command_id: int, answer: str) -> None: ...

    async def requeue(self, command_id: int) -> None:
        """The command was claimed but could not be written: queue it again."""
        ...


class WatchConnection(asyncio.Protocol):
    __slots__ = (
        "server",
        "transport",
        "framer",
        "address",
        "identifier",
        "manufacturer",
        "opened",
        "last_active",
        "partial_since",
        "bad_frames",
        "closed",
        "awaiting",
        "delivering",
        "deferred",
    )

    def __init__(self, server: WatchServer) -> None:
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.framer = watch.WatchFramer()
        self.address = ""
        self.identifier: str | None = None
        self.manufacturer = "3G"
        self.opened = self.last_active = time.monotonic()
        self.partial_since: float | None = None
        self.bad_frames = 0
        self.closed = False
        # commands sent and not answered yet: (command id, the word the answer starts with)
        self.awaiting: deque[tuple[int, str]] | None = None
        self.delivering = False
        self.deferred: list[bytes] | None = None  # frames read, waiting for the next turn

    # --- asyncio callbacks ---------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but behave as one
        self.transport = cast(asyncio.Transport, transport)
        peer = transport.get_extra_info("peername")
        self.address = str(peer[0]) if peer else "?"
        self.transport.set_write_buffer_limits(high=WRITE_BUFFER_HIGH)
        if not self.server.admit(self):
            self.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.server.forget(self)

    def pause_writing(self) -> None:
        self.server.cut(self, "not_reading", "does not read its replies")

    def data_received(self, data: bytes) -> None:
        now = self.last_active = time.monotonic()
        try:
            frames = self.framer.feed(data)
        except ProtocolError as error:
            self.server.cut(self, "bad_stream", str(error))
            return
        # A frame begun and not finished: the sweeper cuts it after frame_timeout_s.
        if not self.framer.buffered:
            self.partial_since = None
        elif self.partial_since is None:
            self.partial_since = now
        if frames:
            self.server.take(self, frames)

    # --- frames ----------------------------------------------------------------------

    def frames(self, frames: list[bytes]) -> bool:
        """Decodes and hands over; True when the connection waits for an append (it reads
        on by itself once the fixes are durable)."""
        received = datetime.now(UTC)
        messages: list[Decoded] = []
        for frame in frames:
            try:
                messages.append(watch.decode(frame, received))
            except ProtocolError as error:
                self.server.stats["bad_frame"] += 1
                self.bad_frames += 1
                if self.bad_frames >= MAX_BAD_FRAMES:
                    self.server.cut(self, "bad_frames", str(error))
                    return False
                continue
            self.bad_frames = 0
        if not messages:
            return False
        if not self.speaks_for_itself(messages):
            self.pause()
            self.server.spawn(self.identify_then_append(messages))  # the first frame: a lookup
            return True
        fixes = [fix for message in messages for fix in message.fixes]
        if not fixes:
            self.server.stats["frames"] += len(messages)
            self.reply(messages)  # the common heartbeat: nothing to wait for
            return False
        self.pause()  # in order: the next frames wait until these are durable
        self.server.log.submit(fixes, lambda error: self.appended(messages, error))
        return True

    def speaks_for_itself(self, messages: list[Decoded]) -> bool:
        """Every frame names the device this connection was identified as."""
        identifier = self.identifier
        if identifier is None:
            return False
        for message in messages:  # noqa: SIM110 - no generator per frame on the hot path
            if message.device_id != identifier:
                return False
        return True

    async def identify_then_append(self, messages: list[Decoded]) -> None:
        try:
            for message in messages:
                if message.device_id != self.identifier and not await self.identify(message):
                    return  # cut off
        except Exception:
            log.exception("Watch from %s: the device could not be looked up", self.address)
            self.server.stats["lookup_failed"] += 1
            self.abort()  # no reply: the watch connects again
            return
        fixes = [fix for message in messages for fix in message.fixes]
        self.server.log.submit(fixes, lambda error: self.appended(messages, error))

    def appended(self, messages: list[Decoded], error: BaseException | None) -> None:
        """The fixes of these frames are durable (or could not be made so): reply, read on."""
        if error is not None:
            log.error(
                "Watch %s from %s: a batch could not be appended: %r",
                self.identifier,
                self.address,
                error,
            )
            self.server.stats["append_failed"] += 1
            self.abort()  # no reply: the watch sends again
            return
        self.server.stats["frames"] += len(messages)
        self.reply(messages)
        self.resume()

    def pause(self) -> None:
        if not self.closed and self.transport is not None:
            self.transport.pause_reading()

    def resume(self) -> None:
        if not self.closed and self.transport is not None:
            self.transport.resume_reading()

    async def identify(self, message: Decoded) -> bool:
        identifier = message.device_id or ""
        if self.identifier is not None:
            self.server.cut(self, "other_device", f"spoke for {identifier!r} too")
            return False
        device = await self.server.devices.alookup(identifier)
        if self.closed:
            return False
        if device is None or device.protocol != WATCH:
            self.server.unknown(self, identifier)
            return False
        self.identifier = identifier
        self.manufacturer = str(message.attributes.get("manufacturer") or "3G")
        self.server.identified(self)
        return True

    def reply(self, messages: list[Decoded]) -> None:
        if self.closed or self.transport is None:
            return
        for message in messages:
            if message.reply:
                self.transport.write(message.reply)
            if self.awaiting:
                self.answer(message)

    def answer(self, message: Decoded) -> None:
        """A frame whose type is the first word of a sent command answers it."""
        assert self.awaiting is not None
        kind = message.kind.upper()
        for index, (command_id, word) in enumerate(self.awaiting):
            if word == kind:
                del self.awaiting[index]
                text = str(message.attributes.get("text") or message.kind)
                self.server.spawn(self.server.commands_answered(command_id, text))
                return

    def send_command(self, command_id: int, text: str) -> bool:
        if self.closed or self.transport is None or self.identifier is None:
            return False
        frame = watch.encode_command(self.manufacturer, self.identifier, text)
        self.transport.write(frame)
        if self.awaiting is None:
            self.awaiting = deque(maxlen=32)
        self.awaiting.append((command_id, answer_word(text)))
        return True

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()


class WatchServer:
    def __init__(
        self,
        log: IngestLog,
        devices: DeviceLookup,
        config: GatewayConfig,
        commands: CommandChannel | None = None,
        stats: Stats = STATS,
    ) -> None:
        # one BatchingLog per loop: the runner shares its own with the other gateways
        self.log = log if isinstance(log, BatchingLog) else BatchingLog(log)
        self.devices = devices
        self.config = config
        self.commands = commands
        self.stats = stats
        self.connections: set[WatchConnection] = set()
        self.by_device: dict[str, WatchConnection] = {}
        self.per_address: Counter[str] = Counter()
        self.unknown_ids = OncePerInterval(config.unknown_log_interval_s)
        self.refused_addresses = OncePerInterval(config.unknown_log_interval_s)
        self.tasks: set[asyncio.Task[Any]] = set()
        self.server: asyncio.Server | None = None
        self.sweeper: asyncio.Task[Any] | None = None
        self.turn_budget = TURN_BUDGET
        self._decoded = 0  # frames decoded in this turn of the event loop
        self._deferred: deque[WatchConnection] = deque()
        self._turn_scheduled = False
        self._to_check: set[str] = set()  # watches just identified, commands not looked up

    async def start(self, host: str | None = None, port: int | None = None) -> int:
        """Listens; returns the port (0 asks the system for a free one)."""
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(
            lambda: WatchConnection(self),
            host or self.config.host,
            self.config.watch_port if port is None else port,
            backlog=4096,
            reuse_address=True,
        )
        self.sweeper = loop.create_task(self.sweep_forever())
        return int(self.server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self.sweeper is not None:
            self.sweeper.cancel()
        if self.server is not None:
            self.server.close()
        for connection in list(self.connections):
            connection.abort()
        if self.server is not None:
            await self.server.wait_closed()
        for task in list(self.tasks):
            task.cancel()

    def spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self.tasks.add(task)  # asyncio keeps only a weak reference
        task.add_done_callback(self.tasks.discard)

    # --- frames read: now, or next turn -----------------------------------------------

    def take(self, connection: WatchConnection, frames: list[bytes]) -> None:
        """Frames just read from a connection. Decoding is most of a frame's cost: once
        this turn of the event loop has decoded its share, other connections' frames
        wait for the next turn (each such connection stops reading meanwhile), so a turn
        stays short and an alarm read in it is handled at once, never behind thousands
        of positions read in the same turn."""
        self._schedule_turn()
        if self._decoded < self.turn_budget or any(map(watch.looks_like_alarm, frames)):
            self._decoded += len(frames)
            connection.frames(frames)
            return
        connection.pause()
        connection.deferred = frames
        self._deferred.append(connection)

    def _schedule_turn(self) -> None:
        if not self._turn_scheduled:
            self._turn_scheduled = True
            asyncio.get_running_loop().call_soon(self._next_turn)

    def _next_turn(self) -> None:
        """A new turn's budget, spent first on the frames deferred longest."""
        self._turn_scheduled = False
        self._decoded = 0
        while self._deferred and self._decoded < self.turn_budget:
            connection = self._deferred.popleft()
            frames, connection.deferred = connection.deferred, None
            if not frames:
                continue
            # frames read before the watch went away are still handled: unanswered, the
            # watch sends them again, and the log keeps the copy only once
            self._decoded += len(frames)
            if not connection.frames(frames):
                connection.resume()
        if self._deferred:
            self._schedule_turn()

    # --- admission and cutting off ----------------------------------------------------

    def admit(self, connection: WatchConnection) -> bool:
        address = connection.address
        if len(self.connections) >= self.config.max_connections:
            self.refuse(address, "too_many_connections")
            return False
        if self.per_address[address] >= self.config.max_per_address:
            self.refuse(address, "too_many_from_address")
            return False
        self.connections.add(connection)
        self.per_address[address] += 1
        return True

    def refuse(self, address: str, reason: str) -> None:
        self.stats[reason] += 1
        if self.refused_addresses.due(address, time.monotonic()):
            log.warning("Watch connections from %s refused: %s", address, reason)

    def forget(self, connection: WatchConnection) -> None:
        if connection not in self.connections:
            return
        self.connections.discard(connection)
        address = connection.address
        self.per_address[address] -= 1
        if self.per_address[address] <= 0:
            del self.per_address[address]
        if connection.identifier and self.by_device.get(connection.identifier) is connection:
            del self.by_device[connection.identifier]

    def cut(self, connection: WatchConnection, reason: str, detail: str) -> None:
        self.stats[reason] += 1
        log.info("Watch %s from %s cut off: %s", connection.identifier, connection.address, detail)
        connection.abort()

    def unknown(self, connection: WatchConnection, identifier: str) -> None:
        self.stats["unknown_device"] += 1
        if self.unknown_ids.due(identifier, time.monotonic()):
            log.warning(
                "Unknown or unpaired watch %r from %s: cut off (logged once per %d s)",
                identifier[:40],
                connection.address,
                self.config.unknown_log_interval_s,
            )
        connection.abort()

    def identified(self, connection: WatchConnection) -> None:
        assert connection.identifier is not None
        older = self.by_device.get(connection.identifier)
        if older is not None and older is not connection:
            older.abort()  # the watch reconnected; the old socket is dead or stolen
        self.by_device[connection.identifier] = connection
        self.check_commands_soon(connection.identifier)

    # --- timeouts ------------------------------------------------------------------------

    async def sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self.config.sweep_every_s)
            self.sweep(time.monotonic())
            if self.commands is not None and self.by_device:
                with contextlib.suppress(Exception):
                    waiting = await self.commands.unsent(list(self.by_device))
                    for identifier in waiting:
                        self.wake(identifier)

    def sweep(self, now: float) -> None:
        config = self.config
        for connection in list(self.connections):
            if now - connection.last_active > config.idle_timeout_s:
                self.cut(connection, "idle", "idle")
            elif connection.identifier is None and now - connection.opened > config.hello_timeout_s:
                self.cut(connection, "silent", "sent no frame")
            elif (
                connection.partial_since is not None
                and now - connection.partial_since > config.frame_timeout_s
            ):
                self.cut(connection, "slow_frame", "a frame took too long")

    # --- downlink ------------------------------------------------------------------------

    def check_commands_soon(self, identifier: str) -> None:
        """A watch just connected: are commands waiting for it? Asked for all watches
        identified within COMMAND_CHECK_S in one query, so thousands of watches coming
        back at once (after a restart, or a mobile network's outage) cost a few queries,
        not one each."""
        if self.commands is None:
            return
        self._to_check.add(identifier)
        if len(self._to_check) == 1:
            self.spawn(self._check_commands())

    async def _check_commands(self) -> None:
        assert self.commands is not None
        await asyncio.sleep(COMMAND_CHECK_S)
        identifiers, self._to_check = self._to_check, set()
        try:
            for identifier in await self.commands.unsent(sorted(identifiers)):
                self.wake(identifier)
        except Exception:
            log.exception("Commands for %d watches could not be looked up", len(identifiers))

    def wake(self, identifier: str) -> None:
        """Commands may be waiting for this device: send them if it is connected."""
        connection = self.by_device.get(identifier)
        if connection is not None and self.commands is not None and not connection.delivering:
            connection.delivering = True
            self.spawn(self.deliver(connection))

    async def deliver(self, connection: WatchConnection) -> None:
        assert self.commands is not None and connection.identifier is not None
        try:
            for command in await self.commands.pending(connection.identifier):
                if not connection.send_command(command.id, command.text):
                    await self.commands.requeue(command.id)
        except Exception:
            log.exception("Commands for watch %s could not be sent", connection.identifier)
        finally:
            connection.delivering = False

    async def commands_answered(self, command_id: int, answer: str) -> None:
        if self.commands is not None:
            try:
                await self.commands.answered(command_id, answer)
            except Exception:
                log.exception("The answer to command %s could not be recorded", command_id)
