"""Running the gateways: `carewatch gateway` alone, or in a thread of `serve` / `demo`.

One event loop holds the watch TCP server, OsmAnd on its own port (when enabled), the
OwnTracks MQTT subscriber (when MQTT_URL is set) and the listener that wakes the watch
server when a command is queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from carewatch.kids.gateways.batching import BatchingLog
from carewatch.kids.gateways.config import GatewayConfig
from carewatch.kids.gateways.directory import DEVICES
from carewatch.kids.gateways.downlink import CHANNEL, DatabaseChannel
from carewatch.kids.gateways.limits import STATS
from carewatch.kids.gateways.mqtt import MqttSubscriber
from carewatch.kids.gateways.osmand_server import OsmandApp, osmand_server
from carewatch.kids.gateways.watch_server import WatchServer
from carewatch.kids.ingest.log import IngestLog
from carewatch.platform import pubsub
from carewatch.platform.lib import loops

log = logging.getLogger(__name__)
STATS_EVERY_S = 300.0
T = TypeVar("T")


def new_event_loop(config: GatewayConfig) -> asyncio.AbstractEventLoop:
    """uvloop when the configuration allows it and it is installed (Linux, macOS)."""
    return loops.new_event_loop(config.uvloop)


def run(config: GatewayConfig, main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` on the gateways' kind of event loop (`carewatch gateway`)."""
    return loops.run(main, config.uvloop)


@dataclass
class Gateways:
    config: GatewayConfig
    log: IngestLog
    watch: WatchServer | None = None
    ports: dict[str, int] = field(default_factory=dict)
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    osmand: Any = None

    async def start(self) -> dict[str, int]:
        """Starts what the configuration asks for; returns the ports listened on."""
        config = self.config
        loop = asyncio.get_running_loop()
        self.log = BatchingLog(self.log)  # on this loop: appends of all devices grouped
        if config.watch_port:
            self.watch = WatchServer(self.log, DEVICES, config, DatabaseChannel())
            self.ports["watch"] = await self.watch.start()
            self.tasks.append(loop.create_task(self._wake_on_commands()))
        if config.osmand_own_port:
            self.osmand = osmand_server(
                OsmandApp(self.log, DEVICES), config.host, config.osmand_port
            )
            self.tasks.append(loop.create_task(self.osmand.serve()))
            while not self.osmand.started:
                await asyncio.sleep(0.02)
            self.ports["osmand"] = config.osmand_port
        if config.mqtt_url:
            subscriber = MqttSubscriber(config.mqtt_url, self.log, DEVICES)
            self.tasks.append(loop.create_task(subscriber.run_forever()))
            self.ports["mqtt"] = subscriber.target.port
        self.tasks.append(loop.create_task(_log_stats()))
        return self.ports

    async def stop(self) -> None:
        if self.osmand is not None:
            self.osmand.should_exit = True
        if self.watch is not None:
            await self.watch.close()
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(BaseException):
                await task

    async def _wake_on_commands(self) -> None:
        async for _channel, message in pubsub.subscribe([CHANNEL]):
            if self.watch is not None and isinstance(message.get("device"), str):
                self.watch.wake(message["device"])


async def _log_stats() -> None:
    while True:
        await asyncio.sleep(STATS_EVERY_S)
        log.info("Gateways so far: %s", STATS.line())


def describe(ports: dict[str, int], host: str) -> list[str]:
    lines = []
    if "watch" in ports:
        lines.append(f"watches (TCP) on {host}:{ports['watch']}")
    if "osmand" in ports:
        lines.append(f"OsmAnd / Traccar Client (HTTP) on {host}:{ports['osmand']}")
    if "mqtt" in ports:
        lines.append("OwnTracks over MQTT")
    return lines


async def serve_forever(
    config: GatewayConfig, ingest: IngestLog, ready: Any = None, *, signals: bool = False
) -> None:
    """Runs until cancelled; `signals`: SIGTERM and Ctrl+C cancel it (`carewatch gateway`),
    so connections are closed and the log is left cleanly."""
    if signals:
        loop, current = asyncio.get_running_loop(), asyncio.current_task()
        assert current is not None
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, current.cancel)
    gateways = Gateways(config, ingest)
    ports = await gateways.start()
    if ready is not None:
        ready(ports)
    try:
        await asyncio.Event().wait()
    finally:
        await gateways.stop()


class GatewayThread:
    """For `serve` and `demo`: the gateways in a daemon thread with their own loop."""

    def __init__(self, config: GatewayConfig, ingest: IngestLog) -> None:
        self.config = config
        self.ingest = ingest
        self.ports: dict[str, int] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.task: asyncio.Task[None] | None = None
        self.started = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True, name="gateways")

    def start(self, timeout_s: float = 30.0) -> dict[str, int]:
        self.thread.start()
        if not self.started.wait(timeout_s) or self.error is not None:
            raise RuntimeError(f"the device gateways did not start: {self.error}")
        return self.ports

    def stop(self) -> None:
        if self.loop is not None and self.task is not None:
            self.loop.call_soon_threadsafe(self.task.cancel)
        self.thread.join(timeout=10)

    def _run(self) -> None:
        self.loop = new_event_loop(self.config)
        try:
            self.task = self.loop.create_task(serve_forever(self.config, self.ingest, self._ready))
            self.loop.run_until_complete(self.task)
        except asyncio.CancelledError:
            pass
        except BaseException as error:  # shown by start(); the web server goes on without
            self.error = error
            log.exception("The device gateways stopped")
        finally:
            self.started.set()
            self.loop.close()

    def _ready(self, ports: dict[str, int]) -> None:
        self.ports = ports
        self.started.set()
