"""A device's row: written with the batch when the rules decided something, otherwise at
most every few seconds, and before its partition is handed over (processing.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.utils import timezone

from carewatch.kids.ingest import codec
from carewatch.kids.ingest.log import NORMAL, URGENT
from carewatch.kids.ingest.processing import BatchProcessor, claim_partitions
from carewatch.kids.tracker.models import Device, Event
from carewatch.kids.tracking import Fix
from tests.kids.ingest.test_worker import DEVICE, fix, new_log
from tests.kids.tracker.base import TrackerTestCase

ELSEWHERE = (13.0927, 80.2807)  # about 1.5 km from school


class DeviceRowTests(TrackerTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.log = new_log()
        self.processor = BatchProcessor(self.log.name, 4, state_write_s=3600)
        self.processor.gain(range(4))
        self.device = Device.objects.get(identifier=DEVICE)

    def process(self, *fixes: Fix) -> None:
        self.log.append_sync(list(fixes))
        for lane in (URGENT, NORMAL):
            after = {p: self.processor.committed[(p, lane)] for p in range(4)}
            messages = self.log.read_sync(lane, after, 100)
            if messages:
                with self.captureOnCommitCallbacks(execute=True):
                    self.assertTrue(self.processor.process(messages).ok)

    def row(self) -> Device:
        return Device.objects.get(pk=self.device.pk)

    def test_a_fix_that_changes_only_where_the_child_is_is_written_later(self) -> None:
        self.process(fix(60))  # first report: online, the school learnt
        first = self.row().last_fix_time
        self.process(fix(50, battery=70))
        self.assertEqual(self.row().last_fix_time, first)  # not yet
        self.assertEqual(self.processor.flush(), 1)
        self.assertEqual(self.row().battery, 70)
        self.assertNotEqual(self.row().last_fix_time, first)
        self.assertEqual(self.processor.flush(), 0)  # nothing lags any more

    def test_an_alarm_is_written_with_its_batch(self) -> None:
        self.process(fix(60))
        self.process(fix(50, alarms=frozenset({"sos"})))
        self.assertEqual(Event.objects.filter(kind="sos").count(), 1)
        self.assertIn("sos", self.row().state.get("alarms", {}))

    def test_a_place_change_being_confirmed_waits_but_a_confirmed_one_is_written(self) -> None:
        self.process(fix(290), fix(160))  # at school: learnt silently
        self.process(away(150))  # clear of it: a candidate, nothing decided yet
        self.assertEqual(self.row().lat, fix(0).lat)
        self.process(away(20))  # confirmed: left school
        self.assertEqual(Event.objects.filter(kind="place_exit").count(), 1)
        self.assertEqual(self.row().lat, ELSEWHERE[0])

    def test_rows_are_written_before_partitions_are_given_to_another_worker(self) -> None:
        mine = codec.partition_of(DEVICE, 4)
        self.process(fix(60))
        self.process(fix(50, battery=55))
        self.assertEqual(self.processor.flush(partitions=[(mine + 1) % 4]), 0)
        given: list[list[int]] = []
        claim_partitions(self.log.name, 4, "me", 10)
        claim_partitions(self.log.name, 4, "other", 10)  # a second worker joins
        claim_partitions(self.log.name, 4, "me", 10, given.append)  # gives half back
        self.assertEqual(given, [[2, 3]])
        self.assertEqual(self.processor.flush(partitions=[mine]), 1)
        self.assertEqual(self.row().battery, 55)

    def test_an_old_flush_never_overwrites_a_row_written_since(self) -> None:
        self.process(fix(60))
        self.process(fix(50, battery=55))
        later = timezone.now() + timedelta(minutes=5)
        Device.objects.filter(pk=self.device.pk).update(last_seen=later, battery=20)
        self.processor.flush()  # another worker wrote the row after this one's state
        self.assertEqual(self.row().battery, 20)


def away(seconds_ago: float) -> Fix:
    return replace(fix(seconds_ago), lat=ELSEWHERE[0], lon=ELSEWHERE[1])
