"""Drives virtual devices through the real gateways, as real devices would: watches
connect to the watch port over TCP, phones send OsmAnd requests to `/osmand/`. The
gateways append to the ingest log, and an ingest worker (in `serve`/`demo`, or
`carewatch ingest`) turns the positions into history and alerts."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from carewatch.kids.simulator.devices import VirtualPhone, VirtualWatch
from carewatch.kids.simulator.routes import HOME, SCHOOL, Walker, park_and_sos, school_run
from carewatch.kids.tracker.models import Child, Device, Place, PlaceKind, Protocol
from carewatch.platform.accounts.models import Family

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Targets:
    """Where the virtual devices send: the watch gateway and the OsmAnd URL."""

    watch_host: str
    watch_port: int
    osmand_url: str  # e.g. http://127.0.0.1:8000/osmand/


@dataclass(frozen=True, slots=True)
class Simulated:
    walker: Walker
    protocol: str  # Protocol.WATCH (TCP) or Protocol.OSMAND (HTTP)


async def simulate(
    devices: Mapping[str, Simulated],
    targets: Targets,
    interval_s: float = 5.0,
    duration_s: float | None = None,
    stop: asyncio.Event | None = None,
) -> list[VirtualWatch | VirtualPhone]:
    """Runs every device until `duration_s` passed or `stop` is set; returns the devices."""
    stop = stop or asyncio.Event()
    started = time.time()
    virtual: list[VirtualWatch | VirtualPhone] = []
    for identifier, device in devices.items():
        if device.protocol == Protocol.OSMAND:
            virtual.append(VirtualPhone(identifier, device.walker, targets.osmand_url, started))
        else:
            virtual.append(
                VirtualWatch(
                    identifier, device.walker, targets.watch_host, targets.watch_port, started
                )
            )
    tasks = [asyncio.create_task(v.run(interval_s, stop)) for v in virtual]
    try:
        if duration_s is None:
            await stop.wait()
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), duration_s)
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return virtual


def with_protocols(walkers: Mapping[str, Walker]) -> dict[str, Simulated]:
    protocols = dict(
        Device.objects.filter(identifier__in=list(walkers)).values_list("identifier", "protocol")
    )
    return {
        identifier: Simulated(walker, protocols.get(identifier, Protocol.WATCH))
        for identifier, walker in walkers.items()
    }


def run(
    walkers: Mapping[str, Walker],
    targets: Targets,
    interval_s: float = 5.0,
    duration_s: float | None = None,
) -> int:
    """`carewatch simulate`: runs in this thread; returns the reports sent."""
    virtual = asyncio.run(simulate(with_protocols(walkers), targets, interval_s, duration_s))
    return sum(device.sent for device in virtual)


class Background:
    """For `carewatch demo`: the simulator in a daemon thread; `set()` stops it."""

    def __init__(self, devices: Mapping[str, Simulated], targets: Targets, interval_s: float):
        self.loop = asyncio.new_event_loop()
        self.stop_event: asyncio.Event | None = None
        self.ready = threading.Event()
        self.thread = threading.Thread(
            target=self._run, args=(devices, targets, interval_s), daemon=True, name="simulator"
        )
        self.thread.start()
        self.ready.wait(5)

    def _run(self, devices: Mapping[str, Simulated], targets: Targets, interval_s: float) -> None:
        async def main() -> None:
            self.stop_event = asyncio.Event()
            self.ready.set()
            await simulate(devices, targets, interval_s, stop=self.stop_event)

        self.loop.run_until_complete(main())

    def set(self) -> None:
        if self.stop_event is not None:
            self.loop.call_soon_threadsafe(self.stop_event.set)
        self.thread.join(timeout=5)


def start_in_background(
    walkers: Mapping[str, Walker], targets: Targets, interval_s: float = 5.0
) -> Background:
    return Background(with_protocols(walkers), targets, interval_s)


def ensure_simulated_family(family: Family, names: list[str]) -> dict[str, Walker]:
    """Children with paired devices and a home and a school, once; returns their walkers.

    The first child (and every other one) wears a watch that speaks TCP; the others
    carry a phone with the Traccar Client (OsmAnd over HTTP).
    """
    makers = [school_run, park_and_sos]
    walkers = {}
    with transaction.atomic():
        for number, name in enumerate(names):
            child, _ = Child.objects.get_or_create(family=family, name=name)
            identifier = f"SIM{family.pk:05d}{number:04d}"
            watch = number % 2 == 0
            Device.objects.get_or_create(
                identifier=identifier,
                defaults={
                    "family": family,
                    "child": child,
                    "name": f"{name}'s watch" if watch else f"{name}'s phone",
                    "protocol": Protocol.WATCH if watch else Protocol.OSMAND,
                    "paired_at": timezone.now(),
                },
            )
            walkers[identifier] = makers[number % 2](seed=number + 1)
        for name, kind, (lat, lon) in [
            ("Home", PlaceKind.HOME, HOME),
            ("School", PlaceKind.SCHOOL, SCHOOL),
        ]:
            Place.objects.get_or_create(
                family=family,
                name=name,
                defaults={"kind": kind, "lat": lat, "lon": lon, "radius_m": 120},
            )
    return walkers
