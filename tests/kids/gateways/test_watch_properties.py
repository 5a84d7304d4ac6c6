"""Properties of the watch server's connection handling (hypothesis, no sockets): any
bytes, cut anywhere, never raise out of the server; a valid stream cut anywhere gets
exactly the replies it gets whole, in order, and every fix reaches the log once."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from carewatch.kids.gateways.config import GatewayConfig
from carewatch.kids.gateways.limits import Stats
from carewatch.kids.gateways.watch_server import WatchConnection, WatchServer
from tests.kids.gateways.helpers import FakeDevices, MemoryLog

LK = b"[3G*4700186508*000B*LK,0,10,100]"
UD = (
    b"[3G*4700186508*004E*UD2,220322,055105,A,22.761162,N,114.360192,E,0,0,47,14,100,64,0,0,"
    b"00000008,0,0]"
)
AL = b"[3G*4700186508*003e*AL_LTE,170525,214118,V,0,N,0,E,0,0,0,0,0,22,0,0,00010000,0,0,0]"
REPLIES = {LK: b"[3G*4700186508*0002*LK]", AL: b"[3G*4700186508*0002*AL]", UD: b""}


class FakeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.aborted = False
        self.paused = False

    def get_extra_info(self, name: str) -> Any:
        return ("127.0.0.1", 40000) if name == "peername" else None

    def set_write_buffer_limits(self, high: int) -> None:
        pass

    def write(self, data: bytes) -> None:
        self.written += data

    def abort(self) -> None:
        self.aborted = True

    def pause_reading(self) -> None:
        self.paused = True

    def resume_reading(self) -> None:
        self.paused = False


async def feed(chunks: list[bytes]) -> tuple[FakeTransport, MemoryLog]:
    log = MemoryLog()
    server = WatchServer(
        log, FakeDevices(**{"4700186508": "watch"}), GatewayConfig(), None, Stats()
    )
    connection = WatchConnection(server)
    transport = FakeTransport()
    connection.connection_made(transport)
    for chunk in chunks:
        while transport.paused:  # as asyncio does: no data while reading is paused
            await asyncio.sleep(0)
        if transport.aborted:
            break
        connection.data_received(chunk)
    # until the lookups are done and the last frames' append has answered
    while server.tasks or (transport.paused and not transport.aborted):
        await asyncio.sleep(0)
    return transport, log


def cut(data: bytes, points: list[int]) -> list[bytes]:
    edges = sorted({0, len(data), *(p % (len(data) + 1) for p in points)})
    return [data[a:b] for a, b in zip(edges, edges[1:], strict=False) if b > a]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=12))
def test_any_bytes_never_raise_out_of_the_server(chunks: list[bytes]) -> None:
    asyncio.run(feed(chunks))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from([LK, UD, AL]), min_size=1, max_size=8),
    st.lists(st.integers(min_value=0, max_value=2000), max_size=10),
)
def test_a_valid_stream_cut_anywhere_gets_the_same_replies_and_fixes(
    frames: list[bytes], points: list[int]
) -> None:
    stream = b"".join(frames)
    transport, log = asyncio.run(feed(cut(stream, points)))
    assert not transport.aborted
    assert bytes(transport.written) == b"".join(REPLIES[frame] for frame in frames)
    assert len(log.fixes) == len(frames)
