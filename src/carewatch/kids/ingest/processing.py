"""The worker's database side: rules on a batch, one transaction, then dispatch and live messages.

A batch is the messages a worker read from the log. In one transaction: positions,
device state and events (through the tracker's bulk SQL), the guardians'
Notification rows, and the partition offsets advanced with a compare-and-set. So a
batch is written and counted, or neither: a worker killed mid-batch leaves nothing,
and its successor starts from the same offset. Transports are handed over and live
messages published only after the commit.

Devices (their ids and rule state) are kept in memory between batches; entries are
reloaded after a minute (a pairing or a name changed elsewhere), and when a device has
been silent long enough for the offline task to have changed its row.

A device's row is written with the batch whenever the rules decided something (an
event, a place entered or left, an alarm remembered, a battery alert, its status): a
worker that takes the partition over starts from those decisions and never alerts twice.
When only where and when it last was (or how far a place change has got in its
confirmation) changed, the row is written at most every INGEST_STATE_WRITE_S seconds,
10 by default, and by `flush` for a device that fell silent, before a partition is
handed over, and when the worker stops: at tens of thousands of fixes a second, that
row update cost the database as much as the position itself. The position rows are
always written with their batch; the live map hears of every fix at once; the device's
row lags by seconds at most (a dead worker's successor starts from it: a late fix may
then pass for a current one, and a confirmation under way starts again).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, InterfaceError, connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from carewatch.kids import tracking
from carewatch.kids.ingest import codec
from carewatch.kids.ingest.log import LANES, URGENT, LogMessage
from carewatch.kids.ingest.models import Lease, Offset
from carewatch.kids.tracker import alerts, livefeed, sql
from carewatch.kids.tracker.ingestion import (
    DeviceRow,
    OrmStore,
    PlaceCache,
    alert_all,
    update_devices,
)
from carewatch.kids.tracker.models import Device, Event, Place
from carewatch.kids.tracking.ingest import DeviceContext
from carewatch.platform import pubsub
from carewatch.platform.lib.pipeline import Pipeline, pipelined

log = logging.getLogger(__name__)
# For the fault tests only: sleep inside the first batch's transaction, so that a test can
# kill the worker mid-batch for certain.
PAUSE_IN_BATCH_S = float(os.environ.get("CAREWATCH_INGEST_TEST_PAUSE_S") or 0)
IDENTITY_MAX_AGE_S = 60.0
UNKNOWN_MAX_AGE_S = 30.0
STATE_WRITE_S = 10.0  # the longest a device's row lags behind its last fix (a default)
Key = tuple[int, int]  # (partition, lane)


class Fenced(Exception):
    """Another worker advanced this partition: this batch is not ours to write."""


@dataclass(slots=True)
class Known:
    row: DeviceRow
    state: tracking.DeviceState
    loaded: float  # monotonic
    written: float = 0.0  # monotonic: when the row was last written (or read)
    dirty: bool = False  # the row holds less than `row` and `state` here


class DeviceCache:
    def __init__(self) -> None:
        self.known: dict[str, Known] = {}
        self.unknown: dict[str, float] = {}

    def get(self, ids: Collection[str], now: dt.datetime) -> dict[str, Known]:
        clock = time.monotonic()
        missing = [i for i in ids if self._stale(i, clock, now)]
        if missing:
            self.write([i for i in missing if i in self.known])  # what reloading would undo
            self._load(missing, clock)
        found = {i: self.known.get(i) for i in ids}  # .get: another thread may forget one
        return {i: entry for i, entry in found.items() if entry is not None}

    def _stale(self, identifier: str, clock: float, now: dt.datetime) -> bool:
        entry = self.known.get(identifier)
        if entry is None:
            return clock - self.unknown.get(identifier, -1e9) > UNKNOWN_MAX_AGE_S
        if clock - entry.loaded > IDENTITY_MAX_AGE_S:
            return True
        seen = entry.state.last_seen
        # the offline task may have marked it offline in the database meanwhile
        silent_s = tracking.DEFAULT_CONFIG.offline_after_s - 60
        return seen is not None and (now - seen).total_seconds() > silent_s

    def _load(self, ids: list[str], clock: float) -> None:
        found = {row[1]: row for row in sql.paired_devices(ids)}
        for identifier in ids:
            row = found.get(identifier)
            if row is None:  # unknown, or unpaired since
                self.known.pop(identifier, None)
                self.unknown[identifier] = clock
                continue
            device = DeviceRow(*row)
            state = tracking.DeviceState.from_json(device.state)
            # spread the next reloads over half a minute instead of one slow batch
            self.known[identifier] = Known(device, state, clock - random.uniform(0, 30), clock)
            self.unknown.pop(identifier, None)

    def write(
        self,
        ids: Iterable[str] | None = None,
        older_than_s: float = 0.0,
        skip: Collection[str] = (),
    ) -> int:
        """Write the rows of these (or all) devices whose row lags, if it has lagged at
        least `older_than_s`, but not those in `skip` (in a batch of the other database
        thread); in the caller's transaction. Returns how many."""
        clock = time.monotonic()
        names = list(self.known) if ids is None else ids  # a copy: the other thread adds
        entries = ((i, self.known.get(i)) for i in names)
        due = [
            entry
            for identifier, entry in entries
            if entry is not None
            and entry.dirty
            and clock - entry.written >= older_than_s
            and identifier not in skip
        ]
        if due:
            update_devices([entry.row for entry in due])
            for entry in due:
                entry.dirty, entry.written = False, clock
        return len(due)

    def forget(self, ids: Iterable[str]) -> None:
        for identifier in ids:
            self.known.pop(identifier, None)
            self.unknown.pop(identifier, None)

    def forget_partitions(self, partitions: Collection[int], count: int) -> None:
        gone = [
            i for i in [*self.known, *self.unknown] if codec.partition_of(i, count) in partitions
        ]
        self.forget(gone)


CHANGES = "kids.ingest.changes"  # pubsub channel: a device or a family's places changed
PLACES_MAX_AGE_S = 300.0  # without a change message, places are read again this often


@receiver([post_save, post_delete], sender=Device)
def _device_changed(sender: Any, instance: Device, **kwargs: Any) -> None:
    pubsub.publish(CHANGES, {"device": instance.identifier})


@receiver([post_save, post_delete], sender=Place)
def _place_changed(sender: Any, instance: Place, **kwargs: Any) -> None:
    pubsub.publish(CHANGES, {"family": instance.family_id})


class WorkerStore(OrmStore):
    """OrmStore whose devices come from the worker's cache instead of a query."""

    def __init__(
        self,
        cache: DeviceCache,
        places: PlaceCache,
        now: dt.datetime,
        write_every_s: float = STATE_WRITE_S,
    ) -> None:
        super().__init__()
        self.cache, self.places, self.now = cache, places, now
        self.write_every_s = write_every_s

    def load(self, device_ids: Collection[str]) -> dict[str, DeviceContext]:
        known = self.cache.get(device_ids, self.now)
        self.devices = {identifier: entry.row for identifier, entry in known.items()}
        places = self.places.get({entry.row.family_id for entry in known.values()})
        return {
            identifier: DeviceContext(entry.state, places[entry.row.family_id])
            for identifier, entry in known.items()
        }

    def write_devices(
        self, rows: Sequence[DeviceRow], updates: Sequence[tracking.DeviceUpdate]
    ) -> None:
        """Rows whose rules decided something now; the others when theirs is due (the
        module's docstring says why). The cache's entries still hold the state from before
        this batch: it becomes theirs after the commit (BatchProcessor._remember)."""
        clock = time.monotonic()
        due: list[DeviceRow] = []
        for row, update in zip(rows, updates, strict=True):
            entry = self.cache.known.get(update.device_id)
            if (
                entry is None
                or update.events
                or clock - entry.written >= self.write_every_s
                or entry.state.decisions() != update.state.decisions()
            ):
                due.append(row)
                if entry is not None:
                    entry.dirty, entry.written = False, clock
            else:
                entry.dirty = True
        update_devices(due)


@dataclass(slots=True)
class Outcome:
    ok: bool = True
    fixes: int = 0
    positions: int = 0
    events: list[Event] = field(default_factory=list)
    error: str = ""
    committed: float = 0.0  # Unix times: the commit, and the live messages sent
    published: float = 0.0
    appended: list[float] = field(default_factory=list)  # of each message written
    device_wait_s: float = 0.0  # for a batch holding one of its devices to finish


class BatchProcessor:
    """Runs in the worker's one database thread (Django connections are per thread)."""

    def __init__(
        self, log_name: str, partitions: int, state_write_s: float = STATE_WRITE_S
    ) -> None:
        self.log_name, self.partitions = log_name, partitions
        self.state_write_s = state_write_s
        self.cache = DeviceCache()
        self.places = PlaceCache()
        self.places.max_age_s = PLACES_MAX_AGE_S
        self.watchers = livefeed.Watchers()  # families with an open live map
        self.committed: dict[Key, int] = {}
        # Bumped when a batch of a lane fails: batches queued behind it, read on the
        # assumption that it would commit, are then skipped instead of leaving a hole.
        self.generation = dict.fromkeys(LANES, 0)
        # Alarms may run in their own thread: a device is in one batch at a time, so that
        # two batches never start from the same state and overwrite each other's.
        self._busy: set[str] = set()
        self._free = threading.Condition()

    def warm_up(self) -> None:
        """What the first alarm would otherwise pay for: the URLconf (every app's views are
        imported to reverse a URL), the message catalogues, the notify transports."""
        from django.urls import reverse

        from carewatch.platform.notify.transports import TRANSPORTS

        reverse("tracker:dashboard")
        for message in alerts.MESSAGES.values():
            str(message)
        len(TRANSPORTS)
        if connection.vendor == "sqlite":
            # Checkpoints copy the WAL back into the database and fsync: left to the
            # committing connection, one lands inside an alarm's commit now and then.
            # The worker runs them beside (checkpoint_sqlite) instead.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_autocheckpoint=0")

    # --- ownership ---------------------------------------------------------------

    def gain(self, partitions: Collection[int]) -> dict[Key, int]:
        """Start owning: offsets from the database, and no device state from before."""
        Offset.objects.bulk_create(
            [
                Offset(log=self.log_name, partition=p, lane=lane)
                for p in partitions
                for lane in LANES
            ],
            ignore_conflicts=True,
        )
        rows = Offset.objects.filter(log=self.log_name, partition__in=list(partitions))
        found = {(o.partition, o.lane): o.seq for o in rows}
        self.committed.update(found)
        self.cache.forget_partitions(set(partitions), self.partitions)
        return found

    def lose(self, partitions: Collection[int]) -> None:
        for key in [k for k in self.committed if k[0] in partitions]:
            del self.committed[key]
        self.cache.forget_partitions(set(partitions), self.partitions)

    def flush(self, partitions: Collection[int] | None = None, older_than_s: float = 0.0) -> int:
        """Write the rows that lag behind this worker's memory (of these partitions, or
        all; lagging at least `older_than_s`): before handing partitions over, when
        stopping, and every few seconds for devices that fell silent."""
        ids = None
        if partitions is not None:
            ids = [
                i
                for i in list(self.cache.known)
                if codec.partition_of(i, self.partitions) in partitions
            ]
        with self._free:
            busy = set(self._busy)
        with transaction.atomic():
            return self.cache.write(ids, older_than_s, skip=busy)

    def changed(self, message: dict[str, Any]) -> None:
        """A CHANGES message: read that device or those places again when next needed."""
        if isinstance(message.get("device"), str):
            with transaction.atomic():
                self.cache.write([message["device"]])  # what reloading would undo
            self.cache.forget([message["device"]])
        if isinstance(message.get("family"), int):
            self.places.forget(message["family"])

    def claim(self, owner: str, ttl_s: float) -> set[int]:
        return claim_partitions(self.log_name, self.partitions, owner, ttl_s, self.flush)

    def release(self, owner: str) -> None:
        Lease.objects.filter(log__startswith=self.log_name, owner=owner).update(
            owner="", expires=0.0
        )

    # --- one batch -----------------------------------------------------------------

    def process(self, messages: Sequence[LogMessage], generation: int | None = None) -> Outcome:
        lanes = {m.lane for m in messages}
        if generation is not None and any(self.generation[ln] != generation for ln in lanes):
            return Outcome(False, error="queued behind a failed batch")
        fresh = [m for m in messages if m.seq > self.committed.get((m.partition, m.lane), -1)]
        if not fresh:
            return Outcome()
        fixes, advance = self._unpack(fresh)
        devices = {fix.device_id for fix in fixes}
        started = time.monotonic()
        with self._free:
            self._free.wait_for(lambda: self._busy.isdisjoint(devices))
            self._busy |= devices
        waited = time.monotonic() - started
        try:
            outcome = self._process(fresh, fixes, advance, lanes)
            outcome.device_wait_s = waited
            return outcome
        finally:
            with self._free:
                self._busy -= devices
                self._free.notify_all()

    def _process(
        self, fresh: list[LogMessage], fixes: list[tracking.Fix], advance: dict, lanes: set[int]
    ) -> Outcome:
        now = dt.datetime.fromtimestamp(max(m.appended for m in fresh), dt.UTC)
        store = WorkerStore(self.cache, self.places, now, self.state_write_s)
        alarms = URGENT in lanes
        try:
            # Alarms: pipelined (an SOS waits for 6 answers, not 10); positions go by COPY,
            # which a pipeline cannot carry, and an alarm's batch by COPY past FEW_ROWS.
            pipelining = alarms and len(fixes) <= sql.FEW_ROWS
            with transaction.atomic(), pipelined(pipelining) as pipeline:
                if not alarms:
                    relaxed_commit()
                offsets = self._advance(advance)  # its answer comes with the next one read
                result = tracking.ingest(fixes, store, now=now)
                self._check_fence(pipeline, offsets, len(advance))
                # inside the batch's transaction: the Notification rows commit with the events
                alert_all(store.saved_events)
                self._pause_for_tests()
        except (Fenced, DatabaseError, InterfaceError) as error:
            for lane in lanes:
                self.generation[lane] += 1
            return self._failed(error, fixes, advance)
        committed = time.time()
        self.committed.update({key: new for key, (_, new, _) in advance.items()})
        self._remember(result.updates)
        publish(store, result.updates, store.saved_events, self.watchers.watched)
        appended = [m.appended for m in fresh]
        return Outcome(
            True,
            len(fixes),
            result.accepted,
            store.saved_events,
            "",
            committed,
            time.time(),
            appended,
        )

    def _pause_for_tests(self) -> None:
        global PAUSE_IN_BATCH_S
        if PAUSE_IN_BATCH_S:
            log.warning("Paused inside a batch (CAREWATCH_INGEST_TEST_PAUSE_S)")
            time.sleep(PAUSE_IN_BATCH_S)
            PAUSE_IN_BATCH_S = 0

    def _unpack(self, messages: Sequence[LogMessage]) -> tuple[list[tracking.Fix], dict]:
        fixes: list[tracking.Fix] = []
        advance: dict[Key, tuple[int, int, int]] = {}  # key -> (old seq, new seq, fixes)
        for message in messages:
            key = (message.partition, message.lane)
            try:
                found = codec.decode(message.body)
            except ValueError as error:  # never block a partition on one bad message
                log.warning("Skipping ingest log message %s %s: %s", key, message.seq, error)
                found = []
            fixes += found
            old, _, count = advance.get(key, (self.committed.get(key, 0), 0, 0))
            advance[key] = (old, message.seq, count + len(found))
        return fixes, advance

    def _advance(self, advance: dict[Key, tuple[int, int, int]]) -> Any:
        """Every partition's offset in one statement, each a compare-and-set on its old seq.
        Returns the open cursor, for _check_fence to count the rows it moved."""
        if not advance:
            return None
        cast = "::bigint" if connection.vendor == "postgresql" else ""
        one = f"(%s{cast}, %s{cast}, %s{cast}, %s{cast}, %s{cast})"
        values = ", ".join([one] * len(advance))
        table = Offset._meta.db_table
        # VALUES columns are column1... in both databases (SQLite cannot rename them)
        rows = (
            "SELECT column1 AS p, column2 AS l, column3 AS old, column4 AS new, column5 AS n "
            f"FROM (VALUES {values}) AS r"
        )
        statement = (
            f"UPDATE {table} SET seq = v.new, fixes = {table}.fixes + v.n, updated = %s "
            f"FROM ({rows}) AS v WHERE {table}.log = %s AND {table}.partition = v.p "
            f"AND {table}.lane = v.l AND {table}.seq = v.old"
        )
        params: list[Any] = [
            x
            for (partition, lane), (old, new, count) in advance.items()
            for x in (partition, lane, old, new, count)
        ]
        cursor = connection.cursor()
        cursor.execute(statement, [time.time(), *params, self.log_name])
        return cursor

    @staticmethod
    def _check_fence(pipeline: Pipeline, cursor: Any, partitions: int) -> None:
        """Every offset moved, or another worker owns one of the partitions now."""
        if cursor is None:
            return
        try:
            moved = pipeline.rowcount(cursor)
        finally:
            cursor.close()
        if moved != partitions:
            raise Fenced(f"another worker advanced {partitions - moved} of {partitions} offsets")

    def _failed(self, error: Exception, fixes: Sequence[tracking.Fix], advance: dict) -> Outcome:
        self.cache.forget({fix.device_id for fix in fixes})  # rows were changed in memory
        if isinstance(error, Fenced):
            self.gain({partition for partition, _ in advance})  # re-read where we stand
        else:
            log.warning("Ingest batch failed, will retry: %s", error)
            connection.close()  # a broken connection is replaced on the next query
        return Outcome(False, error=str(error))

    def _remember(self, updates: Sequence[tracking.DeviceUpdate]) -> None:
        for update in updates:
            entry = self.cache.known.get(update.device_id)
            if entry is not None:
                entry.state = update.state

    def safely(self, work: Any, *args: Any) -> Any:
        """For lease and offset work: a database error closes the connection and is raised."""
        try:
            return work(*args)
        except (DatabaseError, InterfaceError):
            connection.close()
            raise


def claim_partitions(
    log_name: str,
    count: int,
    owner: str,
    ttl_s: float,
    before_release: Callable[[list[int]], Any] | None = None,
) -> set[int]:
    """Renew this worker's leases and take its fair share (ceil(P / live workers)) of the free or
    expired ones, giving back any above it, so workers that join or die rebalance. Each
    worker also keeps a presence row (log "<log>#<worker>"), so that one owning nothing yet
    still counts."""
    now = time.time()
    presence = f"{log_name}#{owner}"[:100]
    Lease.objects.update_or_create(
        log=presence, partition=0, defaults={"owner": owner, "expires": now + ttl_s}
    )
    gone = Lease.objects.filter(log__startswith=f"{log_name}#", expires__lt=now - 86_400)
    gone.delete()  # workers that stopped a day ago (names carry a pid: restarts add rows)
    live = set(
        Lease.objects.filter(log__startswith=f"{log_name}#", expires__gt=now).values_list(
            "owner", flat=True
        )
    )
    Lease.objects.bulk_create(
        [Lease(log=log_name, partition=p) for p in range(count)], ignore_conflicts=True
    )
    leases = list(Lease.objects.filter(log=log_name, partition__lt=count).order_by("partition"))
    fair = -(-count // len(live | {owner}))
    mine = [lease.partition for lease in leases if lease.owner == owner]
    extra, mine = mine[fair:], mine[:fair]
    if extra:
        if before_release is not None:
            before_release(extra)  # the next owner starts from the rows
        Lease.objects.filter(log=log_name, owner=owner, partition__in=extra).update(
            owner="", expires=0.0
        )
    Lease.objects.filter(log=log_name, owner=owner, partition__in=mine).update(expires=now + ttl_s)
    for lease in leases:
        if len(mine) >= fair:
            break
        if lease.owner != owner and (not lease.owner or lease.expires <= now):
            taken = Lease.objects.filter(
                pk=lease.pk, owner=lease.owner, expires=lease.expires
            ).update(owner=owner, expires=now + ttl_s)
            if taken:
                mine.append(lease.partition)
    return set(mine)


def checkpoint_sqlite() -> None:
    """A passive checkpoint of the embedded database, on a connection of its own: it
    never blocks the worker's writes (called every few seconds; see warm_up)."""
    import sqlite3

    from django.conf import settings

    database = settings.DATABASES["default"]
    if "sqlite" not in database["ENGINE"]:
        return
    with contextlib.closing(sqlite3.connect(database["NAME"], timeout=5)) as conn:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


def relaxed_commit() -> None:
    """Positions (PostgreSQL): commit without waiting for the WAL flush. A crash of the
    server may lose the last few commits, but the offsets go with them (same transaction),
    so the log delivers those fixes again. Alarms keep the full guarantee: their
    notifications leave for the transports right after the commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def publish(
    store: OrmStore,
    updates: Sequence[tracking.DeviceUpdate],
    events: Sequence[Event],
    watched: Callable[[int], bool] | None = None,
) -> None:
    """Live map messages, after the commit: each device's position (to the families
    `watched`, or all) and each event."""
    devices = [store.devices[update.device_id] for update in updates]
    livefeed.publish_updates(devices, events, watched)


def drain(log_: Any, processor: BatchProcessor | None = None) -> int:
    """Process everything waiting in every partition here and now, without leases (tests,
    one-off tools). Returns the fixes processed."""
    import asyncio

    processor = processor or BatchProcessor(log_.name, log_.partitions)
    processor.gain(range(log_.partitions))
    total = 0
    for lane in LANES:
        while True:
            after = {p: processor.committed[(p, lane)] for p in range(log_.partitions)}
            messages = asyncio.run(log_.read(lane, after, 1000, 0.0))
            if not messages:
                break
            outcome = processor.process(messages)
            if not outcome.ok:
                raise RuntimeError(f"Ingest batch failed: {outcome.error}")
            total += outcome.fixes
    processor.flush()
    return total
