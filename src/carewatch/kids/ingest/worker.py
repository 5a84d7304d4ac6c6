"""The ingest worker: owns partitions, reads the log (alarms first), processes, trims.

One asyncio loop reads the log; one database thread does all the Django work in
priority order, so an alarm waits at most for the batch already being written, never
for the batches queued behind it. The ordinary lane reads its next batch while the
database thread writes the current one. After a failed batch (the database went
away, or another worker took the partition) the lane goes back to the last committed
offset and reads again: nothing acknowledged is skipped, nothing is written twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import queue
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carewatch.kids.ingest.log import LANES, NORMAL, URGENT, Log, LogMessage
from carewatch.kids.ingest.processing import (
    BatchProcessor,
    Key,
    Outcome,
    checkpoint_sqlite,
)
from carewatch.platform.lib import loops
from carewatch.platform.lib.futures import settle

log = logging.getLogger(__name__)
PRIORITY = {URGENT: 0, NORMAL: 1}
Timed = Callable[[int, Callable[..., Any], float, float], None]  # priority, work, waited, ran
SLOW_S = 1.0
SLOW_ALARM_WAIT_S = 0.2


@dataclass
class WorkerConfig:
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    lease_s: float = 10.0  # a dead worker's partitions are taken over after this
    read: int = 100  # log messages per read (each holds one append's fixes for a partition)
    # Fixes per transaction. SQLite: an alarm waits for one such transaction at most, so
    # keep it short; PostgreSQL: alarms have their own thread, bigger is cheaper.
    batch_fixes: int = 0  # 0: 100 on SQLite, 1,000 on PostgreSQL
    urgent_batch: int = 20
    wait_s: float = 0.05  # longest wait for new messages before looking around again
    retry_s: float = 0.5  # after a failed batch
    metrics_dir: Path | None = None  # where lag and rates are written (Prometheus text)
    metrics_every_s: float = 5.0  # also how often the log is trimmed
    checkpoint_every_s: float = 1.0  # SQLite's WAL into the database file


class DbThread:
    """One thread, one Django connection, jobs by priority then arrival."""

    def __init__(self, name: str = "ingest-db", timed: Timed | None = None) -> None:
        self.timed = timed
        self.jobs: queue.PriorityQueue[tuple[int, int, Any]] = queue.PriorityQueue()
        self.order = itertools.count()
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.thread.start()

    def call(self, priority: int, work: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        queued = time.monotonic()
        self.jobs.put((priority, next(self.order), (work, args, loop, future, queued, priority)))
        return future

    def stop(self) -> None:
        self.jobs.put((99, next(self.order), None))
        self.thread.join(timeout=30)

    def _run(self) -> None:
        from django.db import connections

        while True:
            job = self.jobs.get()[2]
            if job is None:
                connections.close_all()
                return
            work, args, loop, future, queued, priority = job
            started = time.monotonic()
            try:
                result, error = work(*args), None
            except BaseException as failure:  # noqa: BLE001 - handed back to the caller
                result, error = None, failure
            loop.call_soon_threadsafe(settle, future, error, result)
            waited, ran = started - queued, time.monotonic() - started
            if self.timed is not None:
                self.timed(priority, work, waited, ran)
            slow = ran > SLOW_S and work.__name__ != "warm_up"
            if slow or (priority == 0 and waited > SLOW_ALARM_WAIT_S):
                name = getattr(work, "__name__", "job")  # say where an alarm's time went
                log.warning("Slow ingest job %s: waited %.3f s, ran %.3f s", name, waited, ran)


class DbThreads:
    """Where the worker's database work runs. On PostgreSQL alarms (and the short
    bookkeeping jobs) get a thread and a connection of their own, so an SOS never waits
    for a batch of positions being written; on SQLite, which has one write lock per
    file, one thread does everything, alarms first, and an SOS waits for one batch at
    most."""

    def __init__(self, separate: bool, timed: Timed | None = None) -> None:
        self.urgent = DbThread("ingest-db-alarms", timed)
        self.normal = DbThread("ingest-db", timed) if separate else self.urgent

    def call(self, priority: int, work: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        thread = self.urgent if priority == 0 else self.normal
        return thread.call(priority, work, *args)

    def stop(self) -> None:
        self.urgent.stop()
        if self.normal is not self.urgent:
            self.normal.stop()


@dataclass
class Stats:
    fixes: int = 0
    batches: int = 0
    failures: int = 0
    started: float = field(default_factory=time.time)
    window: list[tuple[float, int]] = field(default_factory=list)  # (time, fixes so far)
    # Seconds from append to commit of recent messages, per lane; append to live message
    # of recent events: for the metrics (percentiles) and the pipeline benchmark.
    stored: dict[int, deque[float]] = field(
        default_factory=lambda: {lane: deque(maxlen=50_000) for lane in LANES}
    )
    published: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))
    # Where an alarm's time goes: appended until read from the log, queued in the database
    # thread (behind a batch of positions on SQLite), and its own transaction.
    alarm_read: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))
    alarm_queued: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))
    alarm_ran: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))
    # part of alarm_ran: waiting for a batch of positions that holds the same device
    alarm_device_wait: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))

    def record(self, lane: int, outcome: Outcome) -> None:
        self.fixes += outcome.fixes
        self.batches += 1
        self.stored[lane].extend(outcome.committed - appended for appended in outcome.appended)
        if outcome.events and outcome.appended:
            self.published.append(outcome.published - min(outcome.appended))
        if lane == URGENT:
            self.alarm_device_wait.append(outcome.device_wait_s)

    def percentiles(self) -> dict[str, float | None]:
        found: dict[str, float | None] = {}
        samples = {
            "stored": self.stored[NORMAL],
            "alarm_stored": self.stored[URGENT],
            "alarm_read": self.alarm_read,
            "alarm_queued": self.alarm_queued,
            "alarm_ran": self.alarm_ran,
            "alarm_device_wait": self.alarm_device_wait,
            "event_published": self.published,
        }
        for name, values in samples.items():
            ordered = sorted(values)
            for q in (50, 95, 99):
                key = f"{name}_p{q}_ms"
                found[key] = round(_percentile(ordered, q) * 1000, 1) if ordered else None
        return found

    def rate(self) -> float:
        now = time.time()
        self.window = [(t, n) for t, n in self.window if now - t <= 10.0] + [(now, self.fixes)]
        (t0, n0), (t1, n1) = self.window[0], self.window[-1]
        return (n1 - n0) / (t1 - t0) if t1 > t0 else 0.0


class Worker:
    def __init__(self, log_: Log, config: WorkerConfig | None = None) -> None:
        self.log, self.config = log_, config or WorkerConfig()
        from django.conf import settings

        self.processor = BatchProcessor(
            log_.name, log_.partitions, float(settings.INGEST_STATE_WRITE_S)
        )
        self.owned: set[int] = set()
        self.read_pos: dict[Key, int] = {}
        self.trimmed: dict[Key, int] = {}
        # What was committed one housekeeping round ago: the log is trimmed only up to
        # there. A commit of positions on PostgreSQL (synchronous_commit off) is on disk
        # within a second, and SQLite's (synchronous NORMAL) at the next checkpoint, which
        # comes between the rounds: a crash of the database can lose the last commits,
        # and their messages must still be in the log to be processed again.
        self.durable: dict[Key, int] = {}
        self.stats = Stats()
        self.stopped = threading.Event()

    def stop(self) -> None:
        self.stopped.set()

    async def run(self) -> None:
        from django.db import connection

        postgres = connection.vendor == "postgresql"
        self.db = DbThreads(separate=postgres, timed=self._timed)
        if not self.config.batch_fixes:
            self.config.batch_fixes = 1000 if postgres else 100
        try:
            await self.db.call(0, self.processor.warm_up)
        except Exception:  # noqa: BLE001 - only a first alarm's speed depends on it
            log.exception("Ingest worker warm-up failed")
        tasks = [
            asyncio.create_task(self._leases()),
            asyncio.create_task(self._lane(URGENT)),
            asyncio.create_task(self._lane(NORMAL)),
            asyncio.create_task(self._housekeeping()),
            asyncio.create_task(self._checkpoints()),
            asyncio.create_task(self._watch_changes()),
        ]
        try:
            while not self.stopped.is_set() and not any(t.done() for t in tasks):
                await asyncio.sleep(0.05)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if self.config.metrics_dir is not None:
                with contextlib.suppress(Exception):
                    await self._write_metrics(self.config.metrics_dir)
            await self._release()
            self.db.stop()
        for task in tasks:  # a crashed loop is a bug: say so instead of idling
            if task.done() and not task.cancelled() and task.exception():
                raise task.exception()  # type: ignore[misc]

    # --- partitions ----------------------------------------------------------------

    async def _leases(self) -> None:
        while True:
            try:
                await self._rebalance()
            except Exception as error:  # noqa: BLE001 - the database may be away: try again
                log.warning("Ingest worker %s cannot renew its leases: %s", self.config.name, error)
            await asyncio.sleep(self.config.lease_s / 3)

    async def _rebalance(self) -> None:
        p = self.processor
        now_owned = await self.db.call(0, p.safely, p.claim, self.config.name, self.config.lease_s)
        lost, gained = self.owned - now_owned, now_owned - self.owned
        if lost:
            self.owned -= lost
            for key in [k for k in self.read_pos if k[0] in lost]:
                del self.read_pos[key]
            await self.db.call(0, p.safely, p.lose, lost)
        if gained:
            offsets = await self.db.call(0, p.safely, p.gain, gained)
            self.read_pos.update(offsets)
            self.owned |= gained
        if lost or gained:
            log.info("Ingest worker %s owns partitions %s", self.config.name, sorted(self.owned))

    async def _release(self) -> None:
        p = self.processor
        with contextlib.suppress(Exception):  # else the leases simply expire
            # in the positions' thread, after the batches queued there: the next owners
            # start from the rows
            await self.db.call(PRIORITY[NORMAL], p.safely, p.flush)
            await self.db.call(0, p.safely, p.release, self.config.name)

    # --- reading and processing ----------------------------------------------------

    async def _lane(self, lane: int) -> None:
        limit = self.config.urgent_batch if lane == URGENT else self.config.read
        inflight: asyncio.Future[bool] | None = None
        while True:
            after = {p: self.read_pos[(p, lane)] for p in self.owned if (p, lane) in self.read_pos}
            if not after:
                await asyncio.sleep(0.05)
                continue
            messages = await self.log.read(lane, after, limit, self.config.wait_s)
            if lane == URGENT and messages:
                read_at = time.time()
                self.stats.alarm_read.extend(read_at - m.appended for m in messages)
            if inflight is not None:
                ok, inflight = await inflight, None
                if not ok:
                    await self._rewind(lane)
                    continue  # what was just read follows a batch that is not written
            mine = self.read_pos  # ownership may have changed while reading
            messages = [m for m in messages if m.seq > mine.get((m.partition, lane), 1 << 62)]
            if not messages:
                continue
            for message in messages:
                self.read_pos[(message.partition, lane)] = message.seq
            generation = self.processor.generation[lane]
            chunks = [self._process(lane, c, generation) for c in self._chunks(messages)]
            inflight = asyncio.ensure_future(_all_ok(chunks))
            if lane == URGENT:  # alarms: no read-ahead, finish each at once
                ok, inflight = await inflight, None
                if not ok:
                    await self._rewind(lane)

    def _chunks(self, messages: list[LogMessage]) -> list[list[LogMessage]]:
        """Transactions of about `batch_fixes` fixes, queued at once: the database thread
        takes them in order, and an alarm's job can go between any two."""
        chunks: list[list[LogMessage]] = [[]]
        size = 0
        for message in messages:
            if chunks[-1] and size + message.fixes > self.config.batch_fixes:
                chunks.append([])
                size = 0
            chunks[-1].append(message)
            size += message.fixes
        return chunks

    def _timed(self, priority: int, work: Callable[..., Any], waited: float, ran: float) -> None:
        """Called in the database thread after each job: an alarm batch's wait and run."""
        if priority == PRIORITY[URGENT] and work == self.processor.process:
            self.stats.alarm_queued.append(waited)
            self.stats.alarm_ran.append(ran)

    def _process(self, lane: int, messages: list[LogMessage], generation: int) -> Any:
        """Queues the job now (so that order is kept); the result is awaited later."""
        job = self.db.call(PRIORITY[lane], self.processor.process, messages, generation)
        return self._finish(lane, job)

    async def _finish(self, lane: int, job: asyncio.Future[Outcome]) -> bool:
        try:
            outcome: Outcome = await job
        except Exception:
            log.exception("Ingest batch crashed; it will be read again")
            outcome = Outcome(False)
        if outcome.ok:
            self.stats.record(lane, outcome)
        else:
            self.stats.failures += 1
        return outcome.ok

    async def _rewind(self, lane: int) -> None:
        await asyncio.sleep(self.config.retry_s)
        for partition in self.owned:
            key = (partition, lane)
            if key in self.processor.committed:
                self.read_pos[key] = self.processor.committed[key]

    async def _watch_changes(self) -> None:
        from carewatch.kids.ingest.processing import CHANGES
        from carewatch.kids.tracker.livefeed import WATCHING
        from carewatch.platform import pubsub

        async for channel, message in pubsub.subscribe([CHANGES, WATCHING]):
            if channel == WATCHING:
                self.processor.watchers.seen(message)
            else:
                await self.db.call(0, self.processor.changed, message)  # the caches' thread

    # --- trimming and metrics ------------------------------------------------------

    async def _housekeeping(self) -> None:
        while True:
            await asyncio.sleep(self.config.metrics_every_s)
            try:
                p = self.processor  # rows of devices that fell silent (processing.py)
                await self.db.call(PRIORITY[NORMAL], p.safely, p.flush, None, p.state_write_s)
                await self._trim()
                if self.config.metrics_dir is not None:
                    await self._write_metrics(self.config.metrics_dir)
            except Exception as error:  # noqa: BLE001 - the next round tries again
                log.warning("Ingest housekeeping failed: %s", error)

    async def _checkpoints(self) -> None:
        """The embedded database's WAL copied back every second: each checkpoint's fsync
        then carries a second of positions, not five, and every other file's fsync on
        the disk (an alarm's append to the log) waits that much less behind it. The log
        is trimmed only behind a checkpoint (_trim)."""
        while True:
            await asyncio.sleep(self.config.checkpoint_every_s)
            try:
                await asyncio.to_thread(checkpoint_sqlite)
            except Exception as error:  # noqa: BLE001 - the next round tries again
                log.warning("Ingest checkpoint failed: %s", error)

    async def _trim(self) -> None:
        committed, self.durable = self.durable, dict(self.processor.committed)
        for lane in LANES:
            done = {
                p: seq
                for (p, ln), seq in committed.items()
                if ln == lane and p in self.owned and seq > self.trimmed.get((p, ln), 0)
            }
            if done:
                await self.log.trim(lane, done)
                self.trimmed.update({(p, lane): seq for p, seq in done.items()})

    async def _write_metrics(self, folder: Path) -> None:
        committed = dict(self.processor.committed)
        lag: dict[str, Any] = {}
        for lane in LANES:
            after = {p: seq for (p, ln), seq in committed.items() if ln == lane and p in self.owned}
            for partition, backlog in (await self.log.backlog(lane, after)).items():
                lag[f"{partition}:{lane}"] = [backlog.messages, backlog.oldest]
        snapshot = {
            "worker": self.config.name,
            "log": self.log.name,
            "time": time.time(),
            "fixes": self.stats.fixes,
            "fixes_per_s": round(self.stats.rate(), 1),
            "failures": self.stats.failures,
            "latency": self.stats.percentiles(),
            "partitions": sorted(self.owned),
            "lag": lag,
        }
        write_metrics(folder, snapshot)


async def _all_ok(jobs: list[Any]) -> bool:
    results = await asyncio.gather(*jobs)
    return all(results)


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def write_metrics(folder: Path, snapshot: dict[str, Any]) -> None:
    """JSON for `carewatch ingest --status`, Prometheus text for node_exporter's textfile
    collector; written to a temporary name and renamed, so readers never see half a file."""
    from carewatch.kids.ingest.status import prometheus_text

    folder.mkdir(parents=True, exist_ok=True)
    stem = "ingest-" + "".join(c if c.isalnum() else "_" for c in snapshot["worker"])
    for suffix, text in ((".json", json.dumps(snapshot)), (".prom", prometheus_text(snapshot))):
        temporary = folder / f".{stem}{suffix}.tmp"
        temporary.write_text(text)
        temporary.replace(folder / f"{stem}{suffix}")


def start_in_thread(log_: Log, config: WorkerConfig | None = None) -> Worker:
    """For `serve` and `demo`: the worker in a daemon thread; `.stop()` ends it."""
    worker = Worker(log_, config)
    thread = threading.Thread(target=lambda: loops.run(worker.run()), name="ingest", daemon=True)
    thread.start()
    return worker
