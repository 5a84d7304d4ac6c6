"""Test doubles for the gateway tests: an in-memory ingest log, a device directory,
a command channel, and a watch client over a real loopback socket."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from carewatch.kids.gateways.config import GatewayConfig
from carewatch.kids.gateways.limits import Stats
from carewatch.kids.gateways.watch_server import PendingCommand, WatchServer
from carewatch.kids.tracking import Fix

ASHA = "4700186508"


class MemoryLog:
    """An IngestLog keeping fixes in a list; `gate` holds appends until set, `fail` raises."""

    def __init__(self, after_append: Callable[[Sequence[Fix]], None] | None = None) -> None:
        self.fixes: list[Fix] = []
        self.gate: asyncio.Event | None = None
        self.fail = False
        self.after_append = after_append

    async def append(self, fixes: Sequence[Fix]) -> None:
        if self.gate is not None:
            await self.gate.wait()
        if self.fail:
            raise OSError("the log is down")
        self.fixes.extend(fixes)
        if self.after_append is not None:
            await asyncio.to_thread(self.after_append, list(fixes))

    def append_sync(self, fixes: Sequence[Fix]) -> None:
        if self.fail:
            raise OSError("the log is down")
        self.fixes.extend(fixes)
        if self.after_append is not None:
            self.after_append(list(fixes))

    async def close(self) -> None:
        pass


@dataclass(frozen=True)
class Known:
    protocol: str = "watch"
    secret_hash: str = ""


class FakeDevices:
    def __init__(self, **devices: str) -> None:
        self.devices = {identifier: Known(protocol) for identifier, protocol in devices.items()}
        self.asked: list[str] = []

    async def alookup(self, identifier: str) -> Known | None:
        self.asked.append(identifier)
        return self.devices.get(identifier)


@dataclass
class FakeCommands:
    queued: dict[str, list[PendingCommand]] = field(default_factory=dict)
    answers: list[tuple[int, str]] = field(default_factory=list)
    answered_event: asyncio.Event = field(default_factory=asyncio.Event)

    async def pending(self, identifier: str) -> list[PendingCommand]:
        return self.queued.pop(identifier, [])

    async def unsent(self, identifiers: Sequence[str]) -> list[str]:
        return [i for i in identifiers if self.queued.get(i)]

    async def answered(self, command_id: int, answer: str) -> None:
        self.answers.append((command_id, answer))
        self.answered_event.set()

    async def requeue(self, command_id: int) -> None:
        pass


@contextlib.asynccontextmanager
async def running_watch_server(
    log: Any = None, devices: Any = None, commands: Any = None, **config: Any
) -> AsyncIterator[tuple[WatchServer, int]]:
    settings = replace(GatewayConfig(), **config)
    server = WatchServer(
        log or MemoryLog(), devices or FakeDevices(**{ASHA: "watch"}), settings, commands, Stats()
    )
    port = await server.start("127.0.0.1", 0)
    try:
        yield server, port
    finally:
        await server.close()


class Watch:
    """A watch's side of a TCP connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int) -> Watch:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def read_frame(self, timeout: float = 3.0) -> bytes:
        return await asyncio.wait_for(self.reader.readuntil(b"]"), timeout)

    async def closed_by_server(self, timeout: float = 3.0) -> bool:
        """True when the server closes (EOF or reset) within `timeout`."""
        try:
            data = await asyncio.wait_for(self.reader.read(65536), timeout)
        except (ConnectionResetError, BrokenPipeError):
            return True
        except TimeoutError:
            return False
        return data == b""

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError):
            await self.writer.wait_closed()


async def eventually(condition: Callable[[], bool], timeout: float = 3.0) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True
