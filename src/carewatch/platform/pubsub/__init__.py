"""Live messages between processes: `publish` from anywhere, `subscribe` in async views.

Channels are names such as "family.42"; messages are JSON-able dicts. This in-process
version reaches subscribers of the same process only; the backends for several
processes replace it behind the same two functions.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from typing import Any

Message = dict[str, Any]
_subscribers: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Any]]]] = defaultdict(
    set
)
_lock = threading.Lock()


def publish(channel: str, message: Message) -> None:
    """Never blocks and never raises for a slow or missing subscriber (callable from any thread)."""
    with _lock:
        targets = list(_subscribers.get(channel, ()))
    for loop, queue in targets:
        loop.call_soon_threadsafe(queue.put_nowait, (channel, message))


async def subscribe(channels: Iterable[str]) -> AsyncIterator[tuple[str, Message]]:
    loop, queue = asyncio.get_running_loop(), asyncio.Queue[Any]()
    names = list(channels)
    with _lock:
        for name in names:
            _subscribers[name].add((loop, queue))
    try:
        while True:
            yield await queue.get()
    finally:
        with _lock:
            for name in names:
                _subscribers[name].discard((loop, queue))
