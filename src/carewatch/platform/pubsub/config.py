"""Which bus carries live messages, and which channel names are allowed (pure: no Django).

`PUBSUB_URL` picks the backend by its scheme; left unset it follows what the
deployment already runs: NATS (the ingest log's server) before Redis (the task
queue's), else the in-process hub of the embedded default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal
from urllib.parse import urlsplit

from carewatch.platform.lib.env import ConfigError

Kind = Literal["local", "nats", "redis"]
LOCAL = "local"
DEFAULT_PREFIX = "carewatch.live"
SCHEMES: dict[str, Kind] = {
    "nats": "nats",
    "tls": "nats",
    "redis": "redis",
    "rediss": "redis",
    "unix": "redis",
}
# Dotted words only: NATS reads `*` and `>` as wildcards, and a subscriber to
# "family.>" would receive every family's children. Names come from code, never users.
_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,7}")


def pubsub_url(env: Mapping[str, str]) -> str:
    """PUBSUB_URL when set ("local" forces in-process), else NATS_URL, else REDIS_URL."""
    for name in ("PUBSUB_URL", "NATS_URL", "REDIS_URL"):
        raw = env.get(name, "").strip()
        if raw:
            backend_kind(raw, name)
            return raw
    return LOCAL


def backend_kind(url: str, name: str = "PUBSUB_URL") -> Kind:
    if url.strip() in ("", LOCAL):
        return "local"
    kind = SCHEMES.get(urlsplit(url.strip()).scheme)
    if kind is None:
        raise ConfigError(
            f"{name} has a scheme live updates cannot use: set PUBSUB_URL to "
            "nats://host:4222, redis://host:6379 or local."
        )
    return kind


def pubsub_prefix(env: Mapping[str, str]) -> str:
    prefix = env.get("PUBSUB_PREFIX", "").strip() or DEFAULT_PREFIX
    if not _NAME.fullmatch(prefix):
        raise ConfigError(
            "PUBSUB_PREFIX must be dotted words of letters, digits, - and _: "
            "set it like carewatch.live."
        )
    return prefix


def check_channel(channel: str) -> str:
    """The channel itself, or ValueError for a name a bus could misread (wildcards, spaces)."""
    if not isinstance(channel, str) or not _NAME.fullmatch(channel):
        raise ValueError(f"Not a channel name: {channel!r} (dotted words such as family.42).")
    return channel
