"""Which guardian hears about which event, on which channels (pure decision, then notify)."""

from __future__ import annotations

from datetime import time

from django.utils import timezone

from carewatch.kids.tracker.alerts import (
    Preferences,
    alert_guardians,
    describe,
    guardians_of,
    in_quiet_hours,
    wanted_channels,
)
from carewatch.kids.tracker.models import AlertSetting, Event
from carewatch.platform.accounts.models import FamilyMembership
from carewatch.platform.notify.models import Channel, Notification
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

    def test_one_query_reads_who_is_told_with_their_settings_channels_and_the_names(self) -> None:
        AlertSetting.objects.create(user=self.bob, family=self.family, kinds=["sos"])
        event = Event.objects.get(pk=self.event("place_exit").pk)  # nothing cached
        with self.assertNumQueries(1):
            guardians = guardians_of(event)
            text = str(describe(event))  # the child's and the place's names came along
        self.assertEqual(text, "Asha left School")
        found = {g.user.email: g for g in guardians}
        self.assertEqual(set(found), {"alice@example.org", "bob@example.org"})
        self.assertEqual(found["bob@example.org"].preferences.kinds, ["sos"])
        self.assertEqual(found["alice@example.org"].preferences, Preferences())
        self.assertIn("inbox", [c.kind for c in found["alice@example.org"].channels])

    def test_settings_a_guardian_chose_for_another_family_do_not_count_here(self) -> None:
        FamilyMembership.objects.create(family=self.charlies_family, user=self.bob)
        AlertSetting.objects.create(user=self.bob, family=self.charlies_family, kinds=["sos"])
        alert_guardians(self.event("low_battery"))
        owners = set(Notification.objects.values_list("channel__owner__email", flat=True))
        self.assertEqual(owners, {"alice@example.org", "bob@example.org"})

    def test_disabled_and_unconfirmed_channels_stay_quiet_and_a_missing_inbox_is_made(self) -> None:
        Channel.objects.create(owner=self.bob, kind="email", disabled=True)
        Channel.objects.create(owner=self.bob, kind="sms", verified=False, value={"phone": "+9198"})
        Channel.objects.filter(owner=self.alice, kind="inbox").delete()  # an older account
        alert_guardians(self.event("sos"))
        kinds = set(Notification.objects.values_list("channel__owner__email", "kind"))
        self.assertEqual(kinds, {("alice@example.org", "inbox"), ("bob@example.org", "inbox")})
