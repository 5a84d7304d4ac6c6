"""Hostile and broken input on the watch port: garbage, oversized frames, unknown ids,
silent and slow connections, floods. None of it crashes the server or slows the watches
that behave."""

from __future__ import annotations

import asyncio
import logging
import os

import pytest

from tests.kids.gateways.helpers import MemoryLog, Watch, eventually, running_watch_server

LK = b"[3G*4700186508*000B*LK,0,10,100]"
LK_REPLY = b"[3G*4700186508*0002*LK]"
FAST = {"sweep_every_s": 0.05, "hello_timeout_s": 0.3, "frame_timeout_s": 0.3}


async def heartbeat_answered(port: int) -> bool:
    watch = await Watch.connect(port)
    await watch.send(LK)
    reply = await watch.read_frame()
    await watch.close()
    return reply == LK_REPLY


def test_an_unknown_watch_is_cut_off_counted_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario() -> None:
        log = MemoryLog()
        async with running_watch_server(log) as (server, port):
            for _ in range(3):
                stranger = await Watch.connect(port)
                await stranger.send(b"[3G*9999999999*000B*LK,0,10,100]")
                assert await stranger.closed_by_server()
            assert log.fixes == [] and server.stats["unknown_device"] == 3

    with caplog.at_level(logging.WARNING, "carewatch.kids.gateways.watch_server"):
        asyncio.run(scenario())
    assert sum("9999999999" in record.getMessage() for record in caplog.records) == 1


@pytest.mark.parametrize(
    "garbage",
    [
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        os.urandom(4096).replace(b"[", b"").replace(b"]", b"") + b"x",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello
    ],
)
def test_garbage_is_cut_off_and_other_watches_carry_on(garbage: bytes) -> None:
    async def scenario() -> None:
        async with running_watch_server() as (server, port):
            intruder = await Watch.connect(port)
            await intruder.send(garbage)
            assert await intruder.closed_by_server()
            assert await heartbeat_answered(port)
            assert server.stats["bad_stream"] == 1

    asyncio.run(scenario())


def test_a_frame_over_the_cap_is_cut_off() -> None:
    async def scenario() -> None:
        async with running_watch_server() as (server, port):
            big = await Watch.connect(port)
            await big.send(b"[3G*4700186508*FFFF*UD," + b"1" * (70 * 1024))
            assert await big.closed_by_server()
            assert server.stats["bad_stream"] == 1
            assert await heartbeat_answered(port)

    asyncio.run(scenario())


def test_undecodable_frames_in_a_row_are_cut_off() -> None:
    async def scenario() -> None:
        log = MemoryLog()
        async with running_watch_server(log) as (server, port):
            watch = await Watch.connect(port)
            await watch.send(b"[*]" * 5)
            assert await watch.closed_by_server()
            assert server.stats["bad_frame"] == 5 and log.fixes == []

    asyncio.run(scenario())


def test_a_connection_that_never_speaks_is_closed() -> None:
    async def scenario() -> None:
        async with running_watch_server(**FAST) as (server, port):
            silent = await Watch.connect(port)
            assert await silent.closed_by_server(timeout=2)
            assert server.stats["silent"] == 1

    asyncio.run(scenario())


def test_a_frame_trickling_in_byte_by_byte_is_cut_when_too_slow() -> None:
    async def scenario() -> None:
        async with running_watch_server(**FAST) as (server, port):
            slow = await Watch.connect(port)
            await slow.send(LK)
            await slow.read_frame()
            try:
                for byte in b"[3G*4700186508*000B*LK":
                    await slow.send(bytes([byte]))
                    await asyncio.sleep(0.05)
            except ConnectionError:
                pass  # cut off mid-frame, as it should be
            assert await slow.closed_by_server(timeout=2)
            assert server.stats["slow_frame"] == 1

    asyncio.run(scenario())


def test_frames_ending_in_a_newline_are_not_taken_for_a_slow_frame() -> None:
    async def scenario() -> None:
        async with running_watch_server(**FAST) as (server, port):
            watch = await Watch.connect(port)
            await watch.send(LK + b"\r\n")
            await watch.read_frame()
            assert not await watch.closed_by_server(timeout=0.8)  # past frame_timeout_s
            assert server.stats["slow_frame"] == 0
            await watch.close()

    asyncio.run(scenario())


def test_an_idle_watch_is_closed_after_the_idle_timeout() -> None:
    async def scenario() -> None:
        async with running_watch_server(idle_timeout_s=0.3, sweep_every_s=0.05) as (server, port):
            idle = await Watch.connect(port)
            await idle.send(LK)
            await idle.read_frame()
            assert await idle.closed_by_server(timeout=2)
            assert server.stats["idle"] == 1

    asyncio.run(scenario())


def test_a_flood_of_connections_from_one_address_is_capped() -> None:
    async def scenario() -> None:
        async with running_watch_server(max_per_address=5) as (server, port):
            held = [await Watch.connect(port) for _ in range(5)]
            assert await eventually(lambda: len(server.connections) == 5)
            extra = await Watch.connect(port)
            assert await extra.closed_by_server()
            assert server.stats["too_many_from_address"] == 1
            await held[0].close()
            assert await eventually(lambda: len(server.connections) == 4)
            assert await heartbeat_answered(port)  # room again after one left
            for watch in held[1:]:
                await watch.close()

    asyncio.run(scenario())


def test_a_connection_cannot_speak_for_a_second_watch() -> None:
    async def scenario() -> None:
        log = MemoryLog()
        async with running_watch_server(log) as (server, port):
            watch = await Watch.connect(port)
            await watch.send(LK)
            await watch.read_frame()
            await watch.send(b"[3G*4700186509*000B*LK,0,10,100]")
            assert await watch.closed_by_server()
            assert server.stats["other_device"] == 1 and len(log.fixes) == 1

    asyncio.run(scenario())


def test_a_flood_of_garbage_connections_does_not_delay_a_heartbeat() -> None:
    async def scenario() -> None:
        async with running_watch_server() as (_server, port):

            async def pest() -> None:
                for _ in range(20):
                    intruder = await Watch.connect(port)
                    await intruder.send(os.urandom(2048).replace(b"[", b"") + b"!")
                    await intruder.closed_by_server()

            pests = [asyncio.create_task(pest()) for _ in range(5)]
            started = asyncio.get_running_loop().time()
            assert await heartbeat_answered(port)
            assert asyncio.get_running_loop().time() - started < 2.0
            await asyncio.gather(*pests)

    asyncio.run(scenario())
