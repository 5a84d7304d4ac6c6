"""Feeds virtual watches into the ingest log, as a gateway would: an ingest worker
(in `serve`/`demo`, or `carewatch ingest`) turns them into positions and alerts."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Mapping

from django.db import close_old_connections, transaction
from django.utils import timezone

from carewatch.kids.ingest import open_log
from carewatch.kids.ingest.log import IngestLog
from carewatch.kids.simulator.routes import HOME, SCHOOL, Walker, park_and_sos, school_run
from carewatch.kids.tracker.models import Child, Device, Place, PlaceKind, Protocol
from carewatch.kids.tracking import Fix
from carewatch.platform.accounts.models import Family

log = logging.getLogger(__name__)


def fixes_at(walkers: Mapping[str, Walker], started: float, now: dt.datetime) -> list[Fix]:
    fixes = []
    elapsed = max(0.0, now.timestamp() - started)  # now is rounded down to the second
    for identifier, walker in walkers.items():
        (lat, lon), accuracy, battery, sos = walker.report(elapsed)
        alarms = frozenset({"sos"}) if sos else frozenset()
        fixes.append(
            Fix(identifier, now, lat, lon, accuracy_m=accuracy, battery=battery, alarms=alarms)
        )
    return fixes


def run(
    walkers: Mapping[str, Walker],
    interval_s: float = 5.0,
    duration_s: float | None = None,
    stop: threading.Event | None = None,
    own_thread: bool = False,
    log_: IngestLog | None = None,
) -> int:
    """Reports every `interval_s` until `duration_s` passed or `stop` is set; returns ticks.

    `own_thread`: a long-lived thread must drop database connections the server closed.
    """
    stop = stop or threading.Event()
    log_ = log_ or open_log()
    started, ticks = time.time(), 0
    while not stop.is_set() and (duration_s is None or time.time() - started < duration_s):
        if own_thread:
            close_old_connections()
        tick(walkers, started, log_)
        ticks += 1
        stop.wait(interval_s)
    return ticks


def tick(walkers: Mapping[str, Walker], started: float, log_: IngestLog) -> int:
    """One report from every walker, durable in the log when this returns."""
    now = timezone.now().replace(microsecond=0)
    fixes = fixes_at(walkers, started, now)
    try:
        log_.append_sync(fixes)
    except Exception:  # a full disk, a NATS outage: the next tick tries again
        log.exception("The simulator could not append to the ingest log")
        return 0
    return len(fixes)


def start_in_background(walkers: Mapping[str, Walker], interval_s: float = 5.0) -> threading.Event:
    """For `carewatch demo`: a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run,
        args=(walkers, interval_s),
        kwargs={"stop": stop, "own_thread": True},
        daemon=True,
        name="simulator",
    )
    thread.start()
    return stop


def ensure_simulated_family(family: Family, names: list[str]) -> dict[str, Walker]:
    """Children with paired watches and a home and a school, once; returns their walkers."""
    makers = [school_run, park_and_sos]
    walkers = {}
    with transaction.atomic():
        for number, name in enumerate(names):
            child, _ = Child.objects.get_or_create(family=family, name=name)
            identifier = f"SIM{family.pk:05d}{number:04d}"
            Device.objects.get_or_create(
                identifier=identifier,
                defaults={
                    "family": family,
                    "child": child,
                    "name": f"{name}'s watch",
                    "protocol": Protocol.WATCH,
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
