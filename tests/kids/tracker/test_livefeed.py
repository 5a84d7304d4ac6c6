"""What ingestion publishes for open maps: after the commit, to the family's channel only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

from django.db import transaction

from carewatch.kids.tracker import livefeed
from carewatch.kids.tracker.ingestion import ingest_fixes
from carewatch.kids.tracker.models import Device, Event
from carewatch.kids.tracker.tasks import mark_silent_devices_offline
from carewatch.kids.tracking import Fix
from carewatch.platform.notify.models import Notification
from tests.kids.tracker.base import TrackerTestCase

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SCHOOL = (13.0827, 80.2707)


def fix(minutes: float, **extra: Any) -> Fix:
    when = T0 + timedelta(minutes=minutes)
    return Fix("860000000000001", when, *SCHOOL, accuracy_m=10, battery=80, **extra)


class LiveFeedTests(TrackerTestCase):
    def setUp(self) -> None:
        patcher = mock.patch("carewatch.platform.pubsub.publish")
        self.publish = patcher.start()
        self.addCleanup(patcher.stop)

    def published(self) -> list[tuple[str, dict[str, Any]]]:
        return [call.args for call in self.publish.call_args_list]

    def ingest(self, fixes: list[Fix], at_minutes: float) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            ingest_fixes(fixes, now=T0 + timedelta(minutes=at_minutes))

    def test_ingestion_publishes_the_device_s_new_state_to_its_family(self) -> None:
        self.ingest([fix(0), fix(1)], at_minutes=1)
        [(channel, message)] = self.published()  # one per device per batch, its latest state
        self.assertEqual(channel, f"family.{self.family.pk}")
        self.assertEqual(
            message,
            {
                "type": "position",
                "device": self.device.pk,
                "lat": SCHOOL[0],
                "lon": SCHOOL[1],
                "accuracy": 10,
                "fix_time": (T0 + timedelta(minutes=1)).isoformat(),
                "last_seen": (T0 + timedelta(minutes=1)).isoformat(),
                "battery": 80,
                "status": "online",
            },
        )

    def test_nothing_is_published_before_the_commit_or_for_a_rollback(self) -> None:
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            ingest_fixes([fix(0)], now=T0)
        self.assertEqual(self.published(), [])
        self.assertEqual(len(callbacks), 1)
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    ingest_fixes([fix(1)], now=T0 + timedelta(minutes=1))
                    raise RuntimeError("the database write failed")
            except RuntimeError:
                pass
        self.assertEqual((self.published(), callbacks), ([], []))

    def test_an_sos_is_published_as_an_event_with_its_words(self) -> None:
        self.ingest([fix(0, alarms=frozenset({"sos"}))], at_minutes=0)
        events = [message for _channel, message in self.published() if message["type"] == "event"]
        sos = Event.objects.get(kind="sos")
        self.assertEqual(len(events), 1)
        self.assertEqual(
            {key: events[0][key] for key in ("id", "kind", "device", "who", "text")},
            {
                "id": sos.pk,
                "kind": "sos",
                "device": self.device.pk,
                "who": "Asha",
                "text": "SOS · Asha",
            },
        )
        self.assertEqual(events[0]["time"], sos.time.isoformat())

    def test_an_event_names_the_device_when_no_child_wears_it(self) -> None:
        Device.objects.filter(pk=self.device.pk).update(child=None)
        self.ingest([fix(0, alarms=frozenset({"sos"}))], at_minutes=0)
        [event] = [message for _channel, message in self.published() if message["type"] == "event"]
        self.assertEqual((event["who"], event["text"]), ("Asha's watch", "SOS · Asha's watch"))

    def test_the_offline_check_publishes_the_new_status(self) -> None:
        self.ingest([fix(0)], at_minutes=0)
        self.publish.reset_mock()
        with self.captureOnCommitCallbacks(execute=True):
            mark_silent_devices_offline(T0 + timedelta(minutes=16))
        kinds = [
            (message["type"], message.get("status") or message.get("kind"))
            for _c, message in self.published()
        ]
        self.assertEqual(kinds, [("position", "offline"), ("event", "offline")])

    def test_guardians_are_alerted_even_if_publishing_fails(self) -> None:
        self.publish.side_effect = TypeError("a bug in a message")
        with self.assertLogs("carewatch.kids.tracker.ingestion", "ERROR"):
            self.ingest([fix(0, alarms=frozenset({"sos"}))], at_minutes=0)
        self.assertTrue(Notification.objects.exists())

    def test_a_device_without_a_family_is_not_published(self) -> None:
        row = mock.Mock(pk=5, family_id=None)
        livefeed.publish_updates([row], [])
        self.assertEqual(self.published(), [])

    def test_a_family_channel_cannot_be_tricked_into_a_wildcard(self) -> None:
        with self.assertRaises(ValueError):
            livefeed.channel("1.>")  # type: ignore[arg-type]
