"""Live messages between processes: `publish` from anywhere, `subscribe` in async views.

Channels are names such as "family.42"; messages are JSON objects. The backend
comes from settings (PUBSUB_URL, see config.py): for the embedded default, this
process and the others of this machine sharing DATA_DIR (machine.py); NATS core
subjects (or Redis pub/sub) when processes on several machines share the work.
Delivery is at most once: a subscriber that may have missed something receives
`(RESYNC, {"type": "resync", ...})` and reads the state afresh.

    publish("family.42", {"type": "position", ...})      # any thread; never blocks

    async with subscribe(["family.42"]) as messages:
        await messages.ready()            # from here on nothing is missed silently
        state = await read_state()
        async for channel, message in messages: ...
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from carewatch.platform.pubsub.bus import LocalBackend
from carewatch.platform.pubsub.config import (
    DEFAULT_PREFIX,
    backend_kind,
    check_channel,
    pubsub_prefix,
    pubsub_url,
)
from carewatch.platform.pubsub.hub import RESYNC, Backend, Hub, Message, Subscription
from carewatch.platform.pubsub.machine import MachineBackend

__all__ = [
    "RESYNC",
    "Message",
    "Subscription",
    "backend_name",
    "close",
    "configure",
    "current_hub",
    "publish",
    "subscribe",
]

logger = logging.getLogger("carewatch.pubsub")
_hub: Hub | None = None
_lock = threading.Lock()


def publish(channel: str, message: Message) -> None:
    """Queue `message` for everyone subscribed to `channel`; returns at once, from any thread.

    A bad channel name or a message that is not JSON is a bug and raises; a broken or
    slow bus never does (it is logged, and subscribers resync when it is back).
    """
    data = json.dumps(message, separators=(",", ":")).encode()
    check_channel(channel)
    try:
        backend = _current().backend
        assert backend is not None
        backend.publish(channel, data)
    except Exception:
        logger.exception("Live message on %s not published.", channel)


def subscribe(channels: Iterable[str]) -> Subscription:
    """Registers at once (in the running event loop); iterate it for (channel, message)."""
    return Subscription(_current(), channels)


def backend_name() -> str:
    return _current().backend.name  # type: ignore[union-attr]


def current_hub() -> Hub:
    """This process's subscribers (tests play the bus's part through it)."""
    return _current()


def configure(url: str | None = None, prefix: str | None = None) -> None:
    """Use this bus from now on (None: read settings again). Tests and scripts call it."""
    global _hub
    close()
    if url is not None:
        with _lock:
            _hub = _make_hub(url, prefix or DEFAULT_PREFIX)


def close(timeout: float = 2.0) -> None:
    """Send what is queued (up to `timeout` s) and disconnect; the next use reconnects."""
    global _hub
    with _lock:
        hub, _hub = _hub, None
    if hub is not None and hub.backend is not None:
        hub.backend.close(timeout)


def _current() -> Hub:
    global _hub
    hub = _hub
    if hub is None:
        with _lock:
            if _hub is None:
                _hub = _make_hub(*_settings())
            hub = _hub
    return hub


def _settings() -> tuple[str, str]:
    from django.conf import settings

    if settings.configured:
        return settings.PUBSUB_URL, settings.PUBSUB_PREFIX
    return pubsub_url(os.environ), pubsub_prefix(os.environ)


def _machine_directory() -> Path | None:
    """Where the processes of one embedded installation meet (None: this process only)."""
    from django.conf import settings

    return Path(settings.DATA_DIR) / "live" if settings.configured else None


def _make_hub(url: str, prefix: str) -> Hub:
    hub = Hub()
    kind = backend_kind(url)
    backend: Backend
    if kind == "nats":
        from carewatch.platform.pubsub.nats_bus import NatsBus

        backend = NatsBus(hub, url, prefix)
    elif kind == "redis":
        from carewatch.platform.pubsub.redis_bus import RedisBus

        backend = RedisBus(hub, url, prefix)
    elif (directory := _machine_directory()) is not None:
        backend = MachineBackend(hub, directory)
    else:
        backend = LocalBackend(hub)
    hub.attach(backend)
    return hub


def _setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in ("PUBSUB_URL", "PUBSUB_PREFIX"):
        close()


def _connect_signals() -> None:
    from django.core.signals import setting_changed

    setting_changed.connect(_setting_changed, dispatch_uid="carewatch.pubsub")


_connect_signals()
atexit.register(close, 1.0)  # a short-lived publisher still delivers what it queued
