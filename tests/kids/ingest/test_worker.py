"""The ingest worker: positions and alarms from the log to rows, notifications and live
messages, each batch once; partitions shared fairly and taken over from a dead worker."""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from django.db import OperationalError
from django.test import TransactionTestCase
from django.utils import timezone

from carewatch.kids.ingest.embedded import SqliteLog
from carewatch.kids.ingest.log import LANES, URGENT
from carewatch.kids.ingest.models import Lease, Offset
from carewatch.kids.ingest.processing import BatchProcessor, claim_partitions, drain
from carewatch.kids.ingest.worker import WorkerConfig, start_in_thread
from carewatch.kids.tracker.models import Child, Device, Event, Place, Position
from carewatch.kids.tracking import Fix
from carewatch.platform.accounts.models import Family, FamilyMembership, FamilyRole
from carewatch.platform.notify.models import Notification
from tests.base import make_user
from tests.kids.tracker.base import TrackerTestCase

SCHOOL = (13.0827, 80.2707)
DEVICE = "860000000000001"


def fix(seconds_ago: float, **extra: Any) -> Fix:
    when = timezone.now().replace(microsecond=0) - timedelta(seconds=seconds_ago)
    return Fix(DEVICE, when, *SCHOOL, **({"accuracy_m": 10, "battery": 80} | extra))


def new_log(partitions: int = 4) -> SqliteLog:
    return SqliteLog(Path(tempfile.mkdtemp()) / "log.sqlite3", partitions)


def wait_for(check: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not _checked(check):
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def _checked(check: Any) -> bool:
    """The test database on SQLite is in memory with a shared cache, whose table locks
    fail at once instead of waiting: a read that meets the worker's write asks again."""
    try:
        return bool(check())
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        return False


class WorkerThreadTests(TransactionTestCase):
    """The worker in its own thread, as in `serve`: it sees only committed rows."""

    def setUp(self) -> None:
        alice = make_user("alice@example.org", "Alice")
        family = Family.objects.create(name="The Sharma family")
        FamilyMembership.objects.create(family=family, user=alice, role=FamilyRole.OWNER)
        child = Child.objects.create(family=family, name="Asha")
        Device.objects.create(identifier=DEVICE, family=family, child=child)
        Place.objects.create(family=family, name="School", kind="school", lat=SCHOOL[0],
                             lon=SCHOOL[1], radius_m=150)  # fmt: skip
        self.family = family

    def test_positions_and_an_sos_reach_the_database_the_inbox_and_the_live_map(self) -> None:
        log = new_log()
        published: list[tuple[str, dict[str, Any]]] = []
        with mock.patch("carewatch.platform.pubsub.publish", lambda c, m: published.append((c, m))):
            worker = start_in_thread(log, WorkerConfig(name="w1", lease_s=1.0))
            worker.processor.watchers.seen({"family": self.family.pk})  # a map is open
            try:
                log.append_sync([fix(30), fix(20)])
                log.append_sync([fix(10, alarms=frozenset({"sos"}))])
                wait_for(lambda: Notification.objects.filter(event="tracker.sos").exists())
                wait_for(lambda: Position.objects.count() == 3)
            finally:
                worker.stop()
                time.sleep(0.3)
        self.assertEqual(Event.objects.filter(kind="sos").count(), 1)
        kinds = [message["type"] for channel, message in published]
        self.assertIn("event", kinds)
        self.assertIn("position", kinds)
        self.assertEqual({channel for channel, _ in published}, {f"family.{self.family.pk}"})
        sos = next(m for _, m in published if m["type"] == "event")
        self.assertEqual((sos["kind"], sos["who"]), ("sos", "Asha"))

    def test_positions_go_out_only_to_families_with_an_open_map_and_alarms_always(self) -> None:
        log = new_log()
        published: list[tuple[str, dict[str, Any]]] = []
        with mock.patch("carewatch.platform.pubsub.publish", lambda c, m: published.append((c, m))):
            worker = start_in_thread(log, WorkerConfig(name="w1", lease_s=1.0))
            try:
                log.append_sync([fix(30), fix(20)])
                wait_for(lambda: Position.objects.count() == 2)
                log.append_sync([fix(10, alarms=frozenset({"sos"}))])
                wait_for(lambda: Notification.objects.filter(event="tracker.sos").exists())
            finally:
                worker.stop()
                time.sleep(0.3)
        self.assertEqual([m["type"] for _, m in published], ["event"])


class ProcessingTests(TrackerTestCase):
    def test_a_batch_sent_twice_is_stored_once_and_a_resent_sos_told_once(self) -> None:
        log = new_log()
        batch = [fix(30), fix(20, alarms=frozenset({"sos"}))]
        log.append_sync(batch)
        log.append_sync(batch)  # the device resent its frames
        with self.captureOnCommitCallbacks(execute=True):
            drain(log)
        self.assertEqual(Position.objects.count(), 2)
        self.assertEqual(Event.objects.filter(kind="sos").count(), 1)
        self.assertEqual(Notification.objects.filter(event="tracker.sos").count(), 2)  # 2 guardians

    def test_a_worker_that_lost_its_partition_writes_nothing(self) -> None:
        log = new_log()
        log.append_sync([fix(30), fix(20)])
        late, current = BatchProcessor(log.name, 4), BatchProcessor(log.name, 4)
        late.gain(range(4))
        with self.captureOnCommitCallbacks(execute=True):
            drain(log, current)  # the new owner processed everything
        messages = log.read_sync(0, {p: 0 for p in range(4)}, 100)
        outcome = late.process(messages)  # the old owner wakes up with its old offsets
        self.assertFalse(outcome.ok)
        self.assertEqual(Position.objects.count(), 2)
        self.assertTrue(late.process(messages).ok)  # now it knows: nothing left to do
        self.assertEqual(Position.objects.count(), 2)

    def test_a_worker_that_lost_an_alarms_partition_writes_and_tells_nothing(self) -> None:
        log = new_log()
        log.append_sync([fix(30), fix(20, alarms=frozenset({"sos"}))])
        late, current = BatchProcessor(log.name, 4), BatchProcessor(log.name, 4)
        late.gain(range(4))
        drain(log, current)
        messages = log.read_sync(URGENT, {p: 0 for p in range(4)}, 100)
        self.assertFalse(late.process(messages).ok)  # pipelined on PostgreSQL: the same
        self.assertEqual(Event.objects.filter(kind="sos").count(), 1)
        self.assertEqual(Notification.objects.filter(event="tracker.sos").count(), 2)
        self.assertTrue(late.process(messages).ok)
        self.assertEqual(Notification.objects.filter(event="tracker.sos").count(), 2)

    def test_late_fixes_are_kept_in_history_without_alerts(self) -> None:
        log = new_log()
        log.append_sync([fix(10)])
        with self.captureOnCommitCallbacks(execute=True):
            drain(log)
        log.append_sync([fix(200, battery=5), fix(100, battery=4)])  # buffered by the watch
        with self.captureOnCommitCallbacks(execute=True):
            drain(log)
        self.assertEqual(Position.objects.filter(late=True).count(), 2)
        self.assertFalse(Event.objects.exists())

    def test_an_unreadable_message_is_skipped_not_blocking_its_partition(self) -> None:
        log = new_log()
        conn = log._conn()
        conn.execute(
            "INSERT INTO messages (lane, partition, appended, fixes, body) VALUES (0, 0, 0, 1, 'x')"
        )
        log.append_sync([fix(10)])
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(drain(log), 1)
        self.assertEqual(Position.objects.count(), 1)
        self.assertTrue(all(o.seq > 0 for o in Offset.objects.filter(partition=0, lane=0)))


class LeaseTests(TrackerTestCase):
    def test_a_second_worker_gets_half_and_a_dead_ones_share_is_taken_over(self) -> None:
        self.assertEqual(claim_partitions("log", 8, "one", 10), set(range(8)))
        self.assertEqual(claim_partitions("log", 8, "two", 10), set())  # all still leased
        self.assertEqual(len(claim_partitions("log", 8, "one", 10)), 4)  # gives half back
        two = claim_partitions("log", 8, "two", 10)
        self.assertEqual(len(two), 4)
        Lease.objects.filter(owner="one").update(expires=0)  # "one" died: no renewals
        self.assertEqual(claim_partitions("log", 8, "two", 10), set(range(8)))

    def test_offsets_start_at_zero_for_each_lane(self) -> None:
        processor = BatchProcessor("log", 2)
        self.assertEqual(processor.gain([0, 1]), {(p, lane): 0 for p in (0, 1) for lane in LANES})
