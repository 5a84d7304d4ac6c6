"""Which devices may talk to us: paired devices by identifier, cached for a few seconds.

Every frame names its device; asking the database each time would cost more than the
frame. Known devices are kept `known_ttl_s`, unknown ones `unknown_ttl_s` (a device just
paired waits at most that long); a device saved in this process is forgotten at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from carewatch.kids.gateways.dbthread import in_thread
from carewatch.kids.gateways.models import DeviceSecret
from carewatch.kids.tracker.models import Device

MAX_ENTRIES = 100_000


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    pk: int
    identifier: str
    protocol: str
    secret_hash: str  # "" when the device has no password (watches, OsmAnd)


class Directory:
    known_ttl_s = 60.0
    unknown_ttl_s = 10.0

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, DeviceInfo | None]] = {}

    def cached(self, identifier: str) -> tuple[bool, DeviceInfo | None]:
        """(found in the cache, the device or None) without touching the database."""
        entry = self._entries.get(identifier)
        if entry is None:
            return False, None
        expires, info = entry
        if time.monotonic() > expires:
            return False, None
        return True, info

    def lookup(self, identifier: str) -> DeviceInfo | None:
        """For synchronous callers (the web views)."""
        hit, info = self.cached(identifier)
        if hit:
            return info
        return self._remember(identifier, load_device(identifier))

    async def alookup(self, identifier: str) -> DeviceInfo | None:
        """For the asyncio servers: a cache miss runs in a thread, never on the loop."""
        hit, info = self.cached(identifier)
        if hit:
            return info
        found = await in_thread(load_device)(identifier)
        return self._remember(identifier, found)

    def forget(self, identifier: str) -> None:
        self._entries.pop(identifier, None)

    def clear(self) -> None:
        self._entries.clear()

    def _remember(self, identifier: str, info: DeviceInfo | None) -> DeviceInfo | None:
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()  # a flood of made-up ids: start again rather than grow
        ttl = self.known_ttl_s if info is not None else self.unknown_ttl_s
        self._entries[identifier] = (time.monotonic() + ttl, info)
        return info


def load_device(identifier: str) -> DeviceInfo | None:
    if not identifier or len(identifier) > 32:
        return None
    row = (
        Device.objects.filter(identifier=identifier, family__isnull=False)
        .values_list("pk", "protocol", "secret__secret_hash")
        .first()
    )
    if row is None:
        return None
    pk, protocol, secret_hash = row
    return DeviceInfo(pk, identifier, protocol, secret_hash or "")


DEVICES = Directory()


@receiver([post_save, post_delete], sender=Device)
def _device_changed(sender: Any, instance: Device, **kwargs: Any) -> None:
    DEVICES.forget(instance.identifier)


@receiver([post_save, post_delete], sender=DeviceSecret)
def _secret_changed(sender: Any, instance: DeviceSecret, **kwargs: Any) -> None:
    DEVICES.clear()  # rare (pairing a phone): the identifier is one query away
