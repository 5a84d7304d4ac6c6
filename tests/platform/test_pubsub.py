"""Live messages: which bus, which names, and delivery in one process (no Django database)."""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest

from carewatch.platform import pubsub
from carewatch.platform.lib.env import ConfigError
from carewatch.platform.pubsub import hub as hub_module
from carewatch.platform.pubsub.config import (
    backend_kind,
    check_channel,
    pubsub_prefix,
    pubsub_url,
)


@pytest.fixture(autouse=True)
def in_process() -> Iterator[None]:
    pubsub.configure("local")
    yield
    pubsub.configure(None)


def in_a_loop(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Runs an async test in a fresh event loop (the suite has no asyncio plugin)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def next_item(sub: pubsub.Subscription, timeout: float = 2.0) -> tuple[str, Any]:
    return await asyncio.wait_for(anext(sub), timeout)


# --- Configuration (pure) -------------------------------------------------------------


def test_it_is_in_process_when_nothing_is_set() -> None:
    assert pubsub_url({}) == "local"
    assert backend_kind(pubsub_url({})) == "local"


def test_it_follows_nats_before_redis_and_an_explicit_choice_before_both() -> None:
    both = {"NATS_URL": "nats://n:4222", "REDIS_URL": "redis://r:6379/0"}
    assert pubsub_url(both) == "nats://n:4222"
    assert pubsub_url({"REDIS_URL": "redis://r:6379/0"}) == "redis://r:6379/0"
    assert pubsub_url(both | {"PUBSUB_URL": "local"}) == "local"
    assert backend_kind("nats://n:4222") == "nats"
    assert backend_kind("redis://r:6379/3") == "redis"


@pytest.mark.parametrize("url", ["postgres://db/x", "http://n:4222", "nonsense"])
def test_it_refuses_a_bus_it_cannot_use_with_a_sentence(url: str) -> None:
    with pytest.raises(ConfigError, match="set PUBSUB_URL to"):
        pubsub_url({"PUBSUB_URL": url})


def test_it_checks_the_prefix() -> None:
    assert pubsub_prefix({}) == "carewatch.live"
    assert pubsub_prefix({"PUBSUB_PREFIX": "staging.live"}) == "staging.live"
    with pytest.raises(ConfigError):
        pubsub_prefix({"PUBSUB_PREFIX": "carewatch.>"})


@pytest.mark.parametrize(
    "name", ["", "family.*", "family.>", ">", "family 1", "family..1", ".family", "f\n1", "é", 42]
)
def test_it_refuses_channel_names_a_bus_could_read_as_wildcards(name: Any) -> None:
    with pytest.raises(ValueError):
        check_channel(name)
    with pytest.raises(ValueError):
        pubsub.publish(name, {"type": "position"})


def test_it_accepts_dotted_words() -> None:
    assert check_channel("family.42") == "family.42"


# --- In process -------------------------------------------------------------------------


@in_a_loop
async def test_it_delivers_to_the_channel_s_subscribers_only() -> None:
    async with pubsub.subscribe(["family.1"]) as ones, pubsub.subscribe(["family.2"]) as twos:
        assert await ones.ready() and await twos.ready()
        pubsub.publish("family.2", {"n": 2})
        pubsub.publish("family.1", {"n": 1})
        assert await next_item(ones) == ("family.1", {"n": 1})
        assert await next_item(twos) == ("family.2", {"n": 2})
        assert ones.drain() == [] and twos.drain() == []


@in_a_loop
async def test_every_subscriber_of_a_channel_gets_its_own_copy() -> None:
    async with pubsub.subscribe(["family.1"]) as first, pubsub.subscribe(["family.1"]) as second:
        await first.ready()
        await second.ready()
        pubsub.publish("family.1", {"n": 1})
        assert (await next_item(first))[1] == (await next_item(second))[1] == {"n": 1}


@in_a_loop
async def test_it_takes_publishes_from_other_threads() -> None:
    async with pubsub.subscribe(["family.1"]) as sub:
        await sub.ready()
        threads = [
            threading.Thread(target=pubsub.publish, args=("family.1", {"n": n})) for n in range(20)
        ]
        for thread in threads:
            thread.start()
        got = [await next_item(sub) for _ in range(20)]
        assert sorted(message["n"] for _channel, message in got) == list(range(20))


@in_a_loop
async def test_a_message_is_a_copy_so_the_publisher_may_change_its_dict() -> None:
    async with pubsub.subscribe(["family.1"]) as sub:
        await sub.ready()
        message = {"lat": 1.0}
        pubsub.publish("family.1", message)
        message["lat"] = 2.0
        assert (await next_item(sub))[1] == {"lat": 1.0}


def test_a_message_that_is_not_json_is_a_bug_and_raises() -> None:
    with pytest.raises(TypeError):
        pubsub.publish("family.1", {"when": object()})


def test_publish_never_raises_for_a_broken_bus(caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        name = "broken"

        def publish(self, channel: str, data: bytes) -> None:
            raise ConnectionError("the bus is on fire")

        def close(self, timeout: float) -> None:
            pass

    pubsub.current_hub().attach(Broken())  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, "carewatch.pubsub"):
        pubsub.publish("family.1", {"n": 1})
    assert "not published" in caplog.text


@in_a_loop
async def test_a_subscriber_too_far_behind_is_told_to_resync(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hub_module, "MAX_QUEUED", 5)
    async with pubsub.subscribe(["family.1"]) as sub:
        await sub.ready()
        for n in range(8):
            pubsub.publish("family.1", {"n": n})
        await asyncio.sleep(0.05)
        items = sub.drain()
        assert items[0] == (pubsub.RESYNC, {"type": "resync", "reason": "overflow"})
        assert [message["n"] for _channel, message in items[1:]] == [6, 7]


@in_a_loop
async def test_after_the_bus_drops_and_returns_a_subscriber_is_told_to_resync() -> None:
    async with pubsub.subscribe(["family.1"]) as sub:
        await sub.ready()
        hub = pubsub.current_hub()
        hub.lost()
        pubsub.publish("family.1", {"n": 1})  # in process it still arrives; a bus loses it
        for channel, generation in hub.generations().items():
            hub.confirmed(channel, generation)
        items = [await next_item(sub), await next_item(sub)]
        assert (pubsub.RESYNC, {"type": "resync", "reason": "reconnected"}) in items


@in_a_loop
async def test_a_subscriber_that_went_on_without_its_bus_resyncs_when_it_comes() -> None:
    hub = pubsub.current_hub()
    hub.backend.want = lambda channel, generation: None  # type: ignore[union-attr, method-assign]
    async with pubsub.subscribe(["family.1"]) as sub:
        assert await sub.ready(timeout=0.05) is False
        for channel, generation in hub.generations().items():
            hub.confirmed(channel, generation)
        assert (await next_item(sub))[0] == pubsub.RESYNC


@in_a_loop
async def test_the_bus_is_asked_for_a_channel_only_while_someone_listens() -> None:
    hub = pubsub.current_hub()
    async with pubsub.subscribe(["family.1", "family.1"]) as sub:
        assert sub.channels == ("family.1",)
        assert set(hub.generations()) == {"family.1"}
    assert hub.generations() == {}


@in_a_loop
async def test_a_closed_subscription_ends_its_iteration() -> None:
    sub = pubsub.subscribe(["family.1"])
    reader = asyncio.ensure_future(anext(sub))
    await asyncio.sleep(0)
    await sub.aclose()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(reader, 1)
