"""The ingest path's bulk SQL: a few rows (an alarm's batch, one statement) and many rows
(COPY on PostgreSQL) are written alike, a resent fix is stored once, and a device's row
never goes back in time. Runs on SQLite and, in CI, on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from carewatch.kids.tracker import sql
from carewatch.kids.tracker.models import Device, Position
from tests.kids.tracker.base import TrackerTestCase

BASE = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
SIZES = {"a few rows": 3, "many rows": sql.FEW_ROWS * 3}


def position(device: Device, n: int, **extra: Any) -> tuple[Any, ...]:
    values = {"lat": 13.08 + n / 1e4, "lon": 80.27, "attributes": {"n": n}} | extra
    return (device.pk, BASE + timedelta(seconds=5 * n), BASE, values["lat"], values["lon"],
            8.5, None, 90.0, None, 77, True, False, values["attributes"])  # fmt: skip


def device_row(device: Device, seen: datetime, lat: float) -> tuple[Any, ...]:
    return (device.pk, {"status": "online", "n": 1}, "online", seen, seen, lat, 80.27, 9.0, 64)


class BulkWriteTests(TrackerTestCase):
    def more_devices(self, count: int) -> list[Device]:
        return [
            Device.objects.create(identifier=f"86000000001{n:04d}", family=self.family)
            for n in range(count)
        ]

    def test_positions_read_back_as_written_whatever_the_batch_size(self) -> None:
        for label, size in SIZES.items():
            with self.subTest(label):
                Position.objects.all().delete()
                sql.insert_positions([position(self.device, n) for n in range(size)],
                                     skip_existing=False)  # fmt: skip
                stored = list(Position.objects.order_by("fix_time"))
                self.assertEqual(len(stored), size)
                last = stored[-1]
                self.assertEqual(last.fix_time, BASE + timedelta(seconds=5 * (size - 1)))
                self.assertEqual((last.accuracy, last.speed, last.course), (8.5, None, 90.0))
                self.assertEqual((last.battery, last.valid, last.late), (77, True, False))
                self.assertEqual(last.attributes, {"n": size - 1})

    def test_a_resent_fix_is_stored_once_in_a_batch_of_any_size(self) -> None:
        for label, size in SIZES.items():
            with self.subTest(label):
                Position.objects.all().delete()
                sql.insert_positions([position(self.device, 0)], skip_existing=True)
                batch = [position(self.device, n, lat=1.0) for n in range(size)]
                sql.insert_positions(batch, skip_existing=True)
                self.assertEqual(Position.objects.count(), size)
                first = Position.objects.get(fix_time=BASE)
                self.assertNotEqual(first.lat, 1.0)  # the one stored first is kept

    def test_a_resent_fix_is_an_error_where_none_was_expected(self) -> None:
        for label, size in SIZES.items():
            with self.subTest(label):
                Position.objects.all().delete()
                sql.insert_positions([position(self.device, 0)], skip_existing=False)
                with self.assertRaises(IntegrityError), transaction.atomic():
                    batch = [position(self.device, n) for n in range(size)]
                    sql.insert_positions(batch, skip_existing=False)

    def test_device_rows_are_updated_alike_whatever_the_batch_size(self) -> None:
        for label, size in SIZES.items():
            with self.subTest(label):
                devices = [self.device, *self.more_devices(size - 1)] if size > 3 else [
                    self.device]  # fmt: skip
                sql.update_devices([device_row(d, BASE, 13.1) for d in devices])
                for device in devices:
                    device.refresh_from_db()
                    self.assertEqual((device.status, device.last_seen), ("online", BASE))
                    self.assertEqual((device.lat, device.battery), (13.1, 64))
                    self.assertEqual(device.state, {"status": "online", "n": 1})
                Device.objects.exclude(pk=self.device.pk).delete()

    def test_a_late_write_never_takes_a_device_back_in_time(self) -> None:
        for label, size in SIZES.items():
            with self.subTest(label):
                devices = [self.device, *self.more_devices(size - 1)]
                sql.update_devices([device_row(d, BASE, 13.2) for d in devices])
                earlier = BASE - timedelta(minutes=1)
                sql.update_devices([device_row(d, earlier, 99.0) for d in devices])
                self.device.refresh_from_db()
                self.assertEqual((self.device.last_seen, self.device.lat), (BASE, 13.2))
                Device.objects.exclude(pk=self.device.pk).delete()
