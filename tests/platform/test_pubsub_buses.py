"""Live messages between real processes (embedded, NATS, Redis), and across a server that dies."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from carewatch.platform import pubsub
from tests.conftest import free_port
from tests.platform.buses import (
    EVERY_BUS,
    KINDS,
    PrivateServer,
    private_server,
    publish_from_another_process,
    shared_bus,
    unique_prefix,
)
from tests.platform.test_pubsub import in_a_loop, next_item


@pytest.fixture(autouse=True)
def fresh_bus() -> Iterator[None]:
    yield
    pubsub.configure(None)


async def until_resync(sub: pubsub.Subscription, timeout: float = 15.0) -> list[Any]:
    """Items up to and including the RESYNC that says the bus is back."""
    items = []
    while not items or items[-1][0] != pubsub.RESYNC:
        items.append(await next_item(sub, timeout))
    return items


async def until_lost(sub: pubsub.Subscription) -> None:
    while sub._live.is_set():  # the hub hears the connection drop
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("kind", EVERY_BUS)
@in_a_loop
async def test_a_publish_from_another_process_reaches_this_one(kind: str) -> None:
    url, prefix = shared_bus(kind), unique_prefix()
    pubsub.configure(url, prefix)
    assert pubsub.backend_name() == kind
    async with pubsub.subscribe(["family.7"]) as sub:
        assert await sub.ready(5)
        ran = await asyncio.to_thread(publish_from_another_process, url, prefix, 7, 31, 13.25)
        assert ran.strip() == kind
        channel, message = await next_item(sub, 10)
    assert channel == "family.7"
    assert (message["type"], message["device"], message["lat"]) == ("position", 31, 13.25)


@pytest.mark.parametrize("kind", KINDS)
@in_a_loop
async def test_another_prefix_is_another_world(kind: str) -> None:
    """Isolation between deployments sharing one server (and between test runs)."""
    pubsub.configure(shared_bus(kind), unique_prefix())
    async with pubsub.subscribe(["family.7"]) as sub:
        assert await sub.ready(5)
        other = pubsub.current_hub().backend
        assert other is not None
        other.publish("family.7", b'{"n": 1}')  # our own prefix: arrives
        pubsub.configure(shared_bus(kind), unique_prefix())
        pubsub.publish("family.7", {"n": 2})  # another prefix: must not
        pubsub.close()
        assert await next_item(sub, 5) == ("family.7", {"n": 1})
        with pytest.raises(TimeoutError):
            await next_item(sub, 0.5)


@pytest.mark.parametrize("kind", KINDS)
@in_a_loop
async def test_it_reconnects_after_the_server_dies_and_says_resync(kind: str) -> None:
    with private_server(kind) as server:
        pubsub.configure(server.url, unique_prefix())
        async with pubsub.subscribe(["family.1"]) as sub:
            assert await sub.ready(5)
            server.kill()
            await until_lost(sub)
            pubsub.publish("family.1", {"n": "while away"})  # neither raises nor blocks
            server.start()
            items = await until_resync(sub)
            pubsub.publish("family.1", {"n": "after"})
            while items[-1][1].get("n") != "after":
                items.append(await next_item(sub, 5))
    # What waited in the outbox went out once the server was back.
    assert {"n": "while away"} in [message for _channel, message in items]


@pytest.mark.parametrize("kind", KINDS)
@in_a_loop
async def test_it_waits_for_a_server_that_is_not_there_yet(kind: str) -> None:
    server = PrivateServer(kind)
    pubsub.configure(server.url, unique_prefix())
    try:
        async with pubsub.subscribe(["family.1"]) as sub:
            assert await sub.ready(0.2) is False  # the reader goes on from the database
            pubsub.publish("family.1", {"n": 1})
            server.start()
            items = await until_resync(sub)
            while {"n": 1} not in [message for _channel, message in items]:
                items.append(await next_item(sub, 5))
    finally:
        server.kill()


@pytest.mark.parametrize("kind", KINDS)
@in_a_loop
async def test_it_stops_asking_for_a_channel_nobody_listens_to(kind: str) -> None:
    pubsub.configure(shared_bus(kind), unique_prefix())
    backend: Any = pubsub.current_hub().backend
    async with pubsub.subscribe(["family.1"]) as sub:
        assert await sub.ready(5)
        assert backend.active == {"family.1"}
    for _ in range(200):
        if not backend.active:
            break
        await asyncio.sleep(0.01)
    assert backend.active == set()


@pytest.mark.parametrize("kind", KINDS)
def test_publish_returns_at_once_while_no_server_answers(kind: str) -> None:
    pubsub.configure(f"{kind}://127.0.0.1:{free_port()}", unique_prefix())
    started = time.monotonic()
    for n in range(1000):
        pubsub.publish("family.1", {"n": n})
    assert time.monotonic() - started < 5  # generous: the point is it never waits for a bus


@pytest.mark.parametrize("kind", EVERY_BUS)
@in_a_loop
async def test_many_open_maps_share_one_connection_and_each_hears_its_family_only(
    kind: str,
) -> None:
    pubsub.configure(shared_bus(kind), unique_prefix())
    families, maps = 50, 4
    subs = [pubsub.subscribe([f"family.{n}"]) for n in range(families) for _ in range(maps)]
    try:
        for sub in subs:
            assert await sub.ready(5)
        for n in range(families):
            pubsub.publish(f"family.{n}", {"family": n})
        for index, sub in enumerate(subs):
            assert await next_item(sub, 5) == (f"family.{index // maps}", {"family": index // maps})
        await asyncio.sleep(0.2)
        assert all(sub.drain() == [] for sub in subs)
        backend: Any = pubsub.current_hub().backend
        if kind != "local":
            assert backend.active == {f"family.{n}" for n in range(families)}
    finally:
        for sub in subs:
            await sub.aclose()
