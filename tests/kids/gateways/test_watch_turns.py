"""A busy gateway decodes a bounded share of frames per turn of its event loop; frames
read beyond it wait a turn (their connections stop reading), alarms never do."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from carewatch.kids.gateways.config import GatewayConfig
from carewatch.kids.gateways.limits import Stats
from carewatch.kids.gateways.watch_server import WatchConnection, WatchServer
from carewatch.kids.protocols import watch
from carewatch.kids.simulator.devices import Report, position_frame
from tests.kids.gateways.helpers import FakeDevices, MemoryLog

WHEN = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


class FakeTransport:
    def __init__(self) -> None:
        self.reading, self.written = True, list[bytes]()

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def abort(self) -> None:
        self.reading = False


def identified(server: WatchServer, identifier: str) -> WatchConnection:
    connection = WatchConnection(server)
    connection.transport = FakeTransport()  # type: ignore[assignment]
    connection.identifier = identifier
    return connection


def frame(identifier: str, sos: bool = False) -> bytes:
    return position_frame(identifier, Report(WHEN, 12.9, 80.1, 10.0, 90, sos))


def test_frames_past_the_turn_budget_wait_a_turn_and_an_alarm_does_not() -> None:
    async def scenario() -> None:
        log = MemoryLog()
        server = WatchServer(log, FakeDevices(), GatewayConfig(), stats=Stats())
        server.turn_budget = 2
        watches = [identified(server, f"47001865{n:02d}") for n in range(5)]
        for connection in watches[:4]:
            server.take(connection, [frame(str(connection.identifier))])
        server.take(watches[4], [frame(str(watches[4].identifier), sos=True)])
        # the first two and the SOS were decoded and handed over; the others wait
        assert [c.deferred is not None for c in watches] == [False, False, True, True, False]
        assert not any(c.transport.reading for c in watches)  # type: ignore[union-attr]
        for _ in range(20):
            await asyncio.sleep(0.01)
        assert sorted(f.device_id for f in log.fixes) == sorted(str(c.identifier) for c in watches)
        assert [f.device_id for f in log.fixes if f.alarms] == [watches[4].identifier]
        assert all(c.transport.reading for c in watches)  # type: ignore[union-attr]
        assert all(c.deferred is None for c in watches)

    asyncio.run(scenario())


def test_a_deferred_heartbeat_is_answered_and_its_connection_reads_on() -> None:
    async def scenario() -> None:
        server = WatchServer(MemoryLog(), FakeDevices(), GatewayConfig(), stats=Stats())
        server.turn_budget = 1
        first, second = identified(server, "4700186501"), identified(server, "4700186502")
        server.take(first, [frame("4700186501")])
        server.take(second, [b"[3G*4700186502*0002*LK]"])
        assert second.deferred is not None
        await asyncio.sleep(0.05)
        assert second.transport.written == [b"[3G*4700186502*0002*LK]"]  # type: ignore[union-attr]
        assert second.transport.reading  # type: ignore[union-attr]

    asyncio.run(scenario())


def test_frames_deferred_from_a_watch_that_went_away_are_still_appended() -> None:
    async def scenario() -> None:
        log = MemoryLog()
        server = WatchServer(log, FakeDevices(), GatewayConfig(), stats=Stats())
        server.turn_budget = 1
        first, gone = identified(server, "4700186501"), identified(server, "4700186502")
        server.take(first, [frame("4700186501")])
        server.take(gone, [frame("4700186502")])
        gone.connection_lost(None)
        await asyncio.sleep(0.05)
        assert sorted(f.device_id for f in log.fixes) == ["4700186501", "4700186502"]
        assert gone.transport.written == []  # type: ignore[union-attr]

    asyncio.run(scenario())


def test_only_alarm_frames_look_like_alarms() -> None:
    assert watch.looks_like_alarm(b"[3G*4700186508*0002*AL]")
    assert watch.looks_like_alarm(b"[3G*4700186508*003e*AL_LTE,170525,214118,V,0]")
    assert watch.looks_like_alarm(frame("4700186508", sos=True))
    assert not watch.looks_like_alarm(frame("4700186508"))
    assert not watch.looks_like_alarm(b"[3G*4700186508*000B*LK,0,10,100]")
    assert not watch.looks_like_alarm(b"[3G*ALARM*0002*UD]")


@given(st.binary(max_size=300))
def test_any_bytes_get_a_yes_or_no_from_the_alarm_look_and_never_an_error(data: bytes) -> None:
    assert watch.looks_like_alarm(data) in (True, False)
    assert watch.looks_like_alarm(data + b"*AL]")
