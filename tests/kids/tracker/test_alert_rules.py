"""Which guardian hears about which event, on which channels (pure decision, then notify)."""

from __future__ import annotations

from datetime import time

from django.utils import timezone

from carewatch.kids.tracker.alerts import (
    Preferences,
    alert_guardians,
    in_quiet_hours,
    wanted_channels,
)
from carewatch.kids.tracker.models import AlertSetting, Event
from carewatch.platform.notify.models import Notification
from tests.kids.tracker.base import TrackerTestCase

NIGHT = Preferences(quiet_from=time(21, 0), quiet_until=time(7, 0))


def test_quiet_hours_can_run_over_midnight() -> None:
    assert in_quiet_hours(time(23, 30), time(21, 0), time(7, 0))
    assert in_quiet_hours(time(6, 59), time(21, 0), time(7, 0))
    assert not in_quiet_hours(time(7, 0), time(21, 0), time(7, 0))
    assert in_quiet_hours(time(13, 0), time(12, 0), time(14, 0))
    assert not in_quiet_hours(time(13, 0), None, None)


def test_sos_reaches_every_channel_even_in_quiet_hours() -> None:
    assert wanted_channels("sos", NIGHT, time(2, 0)) is None
    assert wanted_channels("sos", Preferences(kinds=["low_battery"]), time(12, 0)) is None


def test_quiet_hours_keep_other_alerts_in_the_inbox() -> None:
    assert wanted_channels("place_exit", NIGHT, time(2, 0)) == ["inbox"]
    assert wanted_channels("place_exit", NIGHT, time(12, 0)) is None


def test_a_guardian_can_turn_off_a_kind_and_choose_channels() -> None:
    prefs = Preferences(kinds=["place_exit"], channel_kinds=["sms", "push"])
    assert wanted_channels("low_battery", prefs, time(12, 0)) == []
    assert wanted_channels("place_exit", prefs, time(12, 0)) == ["sms", "push"]


class AlertGuardiansTests(TrackerTestCase):
    def event(self, kind: str) -> Event:
        return Event.objects.create(
            device=self.device,
            family=self.family,
            child=self.child,
            kind=kind,
            time=timezone.now(),
            place=self.school,
        )

    def test_it_tells_both_guardians_in_the_inbox_with_the_childs_name(self) -> None:
        written = alert_guardians(self.event("place_exit"))
        self.assertGreaterEqual(written, 2)
        texts = set(Notification.objects.values_list("text", flat=True))
        self.assertEqual(texts, {"Asha left School"})
        owners = set(Notification.objects.values_list("channel__owner__email", flat=True))
        self.assertEqual(owners, {"alice@example.org", "bob@example.org"})

    def test_it_never_tells_an_outsider(self) -> None:
        alert_guardians(self.event("sos"))
        owners = Notification.objects.values_list("channel__owner", flat=True)
        self.assertNotIn(self.charlie.pk, owners)

    def test_it_respects_a_guardian_who_turned_a_kind_off(self) -> None:
        AlertSetting.objects.create(user=self.bob, family=self.family, kinds=["sos"])
        alert_guardians(self.event("low_battery"))
        owners = set(Notification.objects.values_list("channel__owner__email", flat=True))
        self.assertEqual(owners, {"alice@example.org"})

    def test_it_writes_the_message_in_each_guardians_language(self) -> None:
        self.bob.language = "ta"
        self.bob.save()
        alert_guardians(self.event("place_exit"))
        bobs = Notification.objects.get(channel__owner=self.bob)
        self.assertNotEqual(bobs.text, "Asha left School")
        self.assertIn("Asha", bobs.text)
