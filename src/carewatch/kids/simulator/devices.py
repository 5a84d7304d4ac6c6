"""Virtual devices that speak the real protocols: a watch over TCP, a phone over OsmAnd HTTP.

They go through the same gateways as real devices (decoding, device check, ingest log,
replies), so the demo exercises the whole path. No Django here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

import httpx

from carewatch.kids.simulator.routes import Walker

log = logging.getLogger(__name__)
KNOTS_PER_KMH = 1 / 1.852
SOS_BIT = 1 << 16
RECONNECT_MAX_S = 30.0


@dataclass(frozen=True, slots=True)
class Report:
    when: datetime
    lat: float
    lon: float
    accuracy_m: float
    battery: int
    sos: bool


def report_at(walker: Walker, started: float, now: datetime) -> Report:
    elapsed = max(0.0, now.timestamp() - started)
    (lat, lon), accuracy, battery, sos = walker.report(elapsed)
    return Report(now, lat, lon, accuracy, battery, sos)


def watch_frame(maker: str, identifier: str, content: str) -> bytes:
    body = content.encode("latin-1")
    return b"[%s*%s*%04X*%s]" % (maker.encode(), identifier.encode(), len(body), body)


def position_frame(identifier: str, report: Report) -> bytes:
    """UD, or AL with the SOS status bit when the button is pressed."""
    kind = "AL" if report.sos else "UD"
    status = SOS_BIT if report.sos else 0
    content = (
        f"{kind},{report.when:%d%m%y},{report.when:%H%M%S},A,"
        f"{abs(report.lat):.6f},{'N' if report.lat >= 0 else 'S'},"
        f"{abs(report.lon):.6f},{'E' if report.lon >= 0 else 'W'},"
        f"0.00,0.0,0.0,9,100,{report.battery},0,0,{status:08X},0,0"
    )
    return watch_frame("3G", identifier, content)


def osmand_query(identifier: str, report: Report) -> str:
    params: dict[str, str | int | float] = {
        "id": identifier,
        "timestamp": int(report.when.timestamp()),
        "lat": f"{report.lat:.6f}",
        "lon": f"{report.lon:.6f}",
        "accuracy": report.accuracy_m,
        "batt": report.battery,
        "speed": 0.0,
    }
    if report.sos:
        params["alarm"] = "sos"
    return urlencode(params)


Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class VirtualWatch:
    """Holds one TCP connection like a real watch: LK on connect, UD/AL every interval,
    answers the server's commands by echoing their type (and reports at once on CR)."""

    def __init__(
        self, identifier: str, walker: Walker, host: str, port: int, started: float
    ) -> None:
        self.identifier, self.walker = identifier, walker
        self.host, self.port, self.started = host, port, started
        self.writer: asyncio.StreamWriter | None = None
        self.sent = 0
        self.replies = 0

    async def run(self, interval_s: float, stop: asyncio.Event) -> None:
        pause = 1.0
        while not stop.is_set():
            try:
                await self._session(interval_s, stop)
                pause = 1.0
            except (OSError, asyncio.IncompleteReadError) as error:
                log.info("Virtual watch %s: %s; reconnecting", self.identifier, error)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)
                pause = min(pause * 2, RECONNECT_MAX_S)

    async def _session(self, interval_s: float, stop: asyncio.Event) -> None:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self.writer = writer
        listener = asyncio.create_task(self._listen(reader))
        try:
            battery = report_at(self.walker, self.started, _now()).battery
            await self._send(watch_frame("3G", self.identifier, f"LK,0,0,{battery}"))
            while not stop.is_set() and not listener.done():
                await self.report()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), interval_s)
            if listener.done():
                listener.result()  # raises what ended the connection
        finally:
            listener.cancel()
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def report(self) -> None:
        await self._send(
            position_frame(self.identifier, report_at(self.walker, self.started, _now()))
        )

    async def _send(self, frame: bytes) -> None:
        assert self.writer is not None
        self.writer.write(frame)
        await self.writer.drain()
        self.sent += 1

    async def _listen(self, reader: asyncio.StreamReader) -> None:
        while True:
            frame = await reader.readuntil(b"]")
            self.replies += 1
            content = frame[1:-1].split(b"*", 3)[-1].decode("latin-1")
            kind = content.split(",", 1)[0].upper()
            if kind in {"LK", "AL"}:
                continue  # replies to our own frames
            await self._send(watch_frame("3G", self.identifier, kind))  # "done"
            if kind == "CR":
                await self.report()


class VirtualPhone:
    """The Traccar Client: an HTTP GET to the OsmAnd endpoint every interval."""

    def __init__(self, identifier: str, walker: Walker, url: str, started: float) -> None:
        self.identifier, self.walker, self.url, self.started = identifier, walker, url, started
        self.sent = 0

    async def run(self, interval_s: float, stop: asyncio.Event) -> None:
        logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per report
        async with httpx.AsyncClient(timeout=10) as client:
            while not stop.is_set():
                report = report_at(self.walker, self.started, _now())
                try:
                    response = await client.get(
                        f"{self.url}?{osmand_query(self.identifier, report)}"
                    )
                    if response.status_code == 200:
                        self.sent += 1
                    else:
                        log.warning(
                            "Virtual phone %s: HTTP %s", self.identifier, response.status_code
                        )
                except httpx.HTTPError as error:
                    # Before its first report the web server of the same process may still
                    # be starting: not worth a line on the demo's first screen.
                    log.log(
                        logging.INFO if self.sent else logging.DEBUG,
                        "Virtual phone %s: %s",
                        self.identifier,
                        error,
                    )
                wait = interval_s if self.sent else min(interval_s, 1.0)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
