"""The watch TCP server over real loopback sockets: framing, replies byte for byte,
acknowledgement only after the log, and downlink commands.

No database: the device directory and the command channel are test doubles here
(test_watch_end_to_end.py runs the real ones).
"""

from __future__ import annotations

import asyncio

from carewatch.kids.gateways.watch_server import PendingCommand
from tests.kids.gateways.helpers import (
    ASHA,
    FakeCommands,
    MemoryLog,
    Watch,
    eventually,
    running_watch_server,
)

LK = b"[3G*4700186508*000B*LK,0,10,100]"
LK_REPLY = b"[3G*4700186508*0002*LK]"
UD = (
    b"[3G*4700186508*0087*UD,220414,134652,A,22.571707,N,113.8613968,E,0.1,0.0,100,7,60,90,"
    b"1000,50,0000,4,1,460,0,9360,4082,131,9360,4092,148,9360,4091,143,9360,4153,141]"
)
UD2 = (
    b"[3G*4700186508*004E*UD2,220322,055105,A,22.761162,N,114.360192,E,0,0,47,14,100,64,0,0,"
    b"00000008,0,0]"
)
SOS_NO_FIX = b"[3G*4700186508*003e*AL_LTE,170525,214118,V,0,N,0,E,0,0,0,0,0,22,0,0,00010000,0,0,0]"
AL_REPLY = b"[3G*4700186508*0002*AL]"


def test_a_heartbeat_is_answered_byte_for_byte_and_logged() -> None:
    async def scenario() -> None:
        log = MemoryLog()
        async with running_watch_server(log) as (_server, port):
            watch = await Watch.connect(port)
            await watch.send(LK)
            assert await watch.read_frame() == LK_REPLY
            assert [(f.device_id, f.battery, f.valid) for f in log.fixes] == [(ASHA, 100, False)]
            await watch.close()

    asyncio.run(scenario())


def test_a_frame_split_into_single_bytes_is_framed_once() -> None:
    async def scenario() -> None:
        log = MemoryLog()
        async with running_watch_server(log) as (_server, port):
            watch = await Watch.connect(port)
            for byte in SOS_NO_FIX:
                await watch.send(bytes([byte]))
            assert await watch.read_frame() == AL_REPLY
            assert len(log.fixes) == 1
            await watch.close()

    asyncio.run(scenario())


def test_many_frames_in_one_segment_get_their_replies_in_order() -> None:
    async def scenario() -> None:
        log = MemoryLog()
        async with running_watch_server(log) as (_server, port):
            watch = await Watch.connect(port)
            await watch.send(LK + UD + b"\r\n" + UD2 + SOS_NO_FIX + LK)
            replies = [await watch.read_frame() for _ in range(3)]
            # UD and UD2 get no reply; LK and AL do, in the order of their frames
            assert replies == [LK_REPLY, AL_REPLY, LK_REPLY]
            assert len(log.fixes) == 5
            positions = [fix for fix in log.fixes if not fix.alarms]  # the SOS went first
            assert round(positions[1].lat, 6) == 22.571707 and positions[1].valid
            await watch.close()

    asyncio.run(scenario())


def test_an_sos_without_a_gps_fix_keeps_its_alarm_and_battery() -> None:
    async def scenario() -> None:
        log = MemoryLog()
        async with running_watch_server(log) as (_server, port):
            watch = await Watch.connect(port)
            await watch.send(LK + SOS_NO_FIX)
            await watch.read_frame()
            assert await watch.read_frame() == AL_REPLY
            [sos] = [fix for fix in log.fixes if fix.alarms]
            assert "sos" in sos.alarms and not sos.valid and not sos.located
            await watch.close()

    asyncio.run(scenario())


def test_nothing_is_acknowledged_before_the_log_has_it() -> None:
    async def scenario() -> None:
        log = MemoryLog()
        log.gate = asyncio.Event()
        async with running_watch_server(log) as (_server, port):
            watch = await Watch.connect(port)
            await watch.send(SOS_NO_FIX)
            try:
                early = await watch.read_frame(timeout=0.3)
            except TimeoutError:
                early = b""
            assert early == b"" and log.fixes == []
            log.gate.set()
            assert await watch.read_frame() == AL_REPLY
            assert len(log.fixes) == 1
            await watch.close()

    asyncio.run(scenario())


def test_a_failed_append_gets_no_reply_and_the_connection_is_closed() -> None:
    async def scenario() -> None:
        log = MemoryLog()
        log.fail = True
        async with running_watch_server(log) as (server, port):
            watch = await Watch.connect(port)
            await watch.send(SOS_NO_FIX)
            assert await watch.closed_by_server()
            assert server.stats["append_failed"] == 1

    asyncio.run(scenario())


def test_frames_stay_in_order_while_an_append_is_slow() -> None:
    async def scenario() -> None:
        log = MemoryLog()
        log.gate = asyncio.Event()
        async with running_watch_server(log) as (_server, port):
            watch = await Watch.connect(port)
            await watch.send(SOS_NO_FIX)
            await asyncio.sleep(0.1)
            await watch.send(UD + LK)  # arrives while the first batch waits
            await asyncio.sleep(0.1)
            log.gate.set()
            assert [await watch.read_frame() for _ in range(2)] == [AL_REPLY, LK_REPLY]
            assert [f.valid for f in log.fixes] == [False, True, False]
            await watch.close()

    asyncio.run(scenario())


def test_a_queued_command_is_sent_on_connection_and_its_answer_recorded() -> None:
    async def scenario() -> None:
        commands = FakeCommands(queued={ASHA: [PendingCommand(7, "UPLOAD,300")]})
        async with running_watch_server(commands=commands) as (_server, port):
            watch = await Watch.connect(port)
            await watch.send(LK)
            frames = {await watch.read_frame(), await watch.read_frame()}
            assert frames == {LK_REPLY, b"[3G*4700186508*000A*UPLOAD,300]"}
            await watch.send(b"[3G*4700186508*0006*UPLOAD]")
            await asyncio.wait_for(commands.answered_event.wait(), 3)
            assert commands.answers == [(7, "UPLOAD")]
            await watch.close()

    asyncio.run(scenario())


def test_a_command_queued_while_connected_is_sent_when_woken() -> None:
    async def scenario() -> None:
        commands = FakeCommands()
        async with running_watch_server(commands=commands) as (server, port):
            watch = await Watch.connect(port)
            await watch.send(LK)
            await watch.read_frame()
            commands.queued[ASHA] = [PendingCommand(8, "CR")]
            server.wake(ASHA)
            assert await watch.read_frame() == b"[3G*4700186508*0002*CR]"
            await watch.close()

    asyncio.run(scenario())


def test_a_reconnecting_watch_replaces_its_old_connection() -> None:
    async def scenario() -> None:
        async with running_watch_server() as (server, port):
            old = await Watch.connect(port)
            await old.send(LK)
            await old.read_frame()
            new = await Watch.connect(port)
            await new.send(LK)
            await new.read_frame()
            assert await old.closed_by_server()
            assert await eventually(lambda: len(server.connections) == 1)
            await new.close()

    asyncio.run(scenario())
