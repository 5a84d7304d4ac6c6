"""SOS must reach a parent at once: one who has only the in-app inbox is asked, right
after pairing, to add a second channel, and any guardian can send a test alert that
goes exactly where an SOS would."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from carewatch.kids.tracker.models import Device
from carewatch.platform.notify.models import Channel, Notification
from tests.kids.tracker.base import TrackerTestCase


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class SosReachTests(TrackerTestCase):
    def setUp(self) -> None:
        super().setUp()
        was_immediate, HUEY.immediate = HUEY.immediate, True
        self.addCleanup(setattr, HUEY, "immediate", was_immediate)
        self.unpaired = Device.objects.create(identifier="860000000000077")
        self.unpaired.set_pairing_code("K7Q-4ZP")
        self.unpaired.save()
        self.reach = reverse("tracker:reach", args=[self.family.pk])
        self.test_url = reverse("tracker:test_alert", args=[self.family.pk])

    def pair(self) -> object:
        url = reverse("tracker:pair", args=[self.family.pk])
        data = {"identifier": "860000000000077", "code": "K7Q-4ZP", "child": self.child.pk}
        return self.client.post(url, data)

    def email_channel(self, **extra: object) -> Channel:
        fields = {"verified": True} | extra
        return Channel.objects.create(
            owner=self.alice, kind="email", value={"email": self.alice.email}, **fields
        )

    def test_pairing_with_only_the_inbox_asks_for_a_second_channel(self) -> None:
        self.login(self.alice)
        response = self.pair()
        self.assertRedirects(response, self.reach)
        page = self.client.get(self.reach)
        self.assertContains(page, "reaches you only in the app")
        self.assertContains(page, reverse("notify:add_channel", args=["email"]))
        self.assertContains(page, reverse("notify:add_push"))

    def test_a_disabled_or_unconfirmed_channel_does_not_count_as_a_second_one(self) -> None:
        self.email_channel(disabled=True)
        self.email_channel(verified=False)
        self.login(self.alice)
        self.assertRedirects(self.pair(), self.reach)

    def test_pairing_with_a_working_second_channel_goes_on_to_the_watchs_setup(self) -> None:
        self.email_channel()
        self.login(self.alice)
        response = self.pair()
        self.assertTrue(
            response["Location"].startswith(f"/kids/tracker/family/{self.family.pk}/devices/")
        )

    def test_a_test_alert_goes_to_every_channel_an_sos_would_use(self) -> None:
        email = self.email_channel()
        self.login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.test_url, follow=True)
        rows = Notification.objects.filter(event="tracker.test")
        self.assertEqual({row.channel.kind for row in rows}, {"inbox", "email"})
        self.assertTrue(all("test" in row.subject.lower() for row in rows))
        self.assertContains(response, str(email))
        self.assertFalse(Notification.objects.exclude(channel__owner=self.alice).exists())

    def test_test_alerts_are_limited_so_they_cannot_flood_anyone(self) -> None:
        self.login(self.alice)
        for _n in range(5):
            self.client.post(self.test_url)
        response = self.client.post(self.test_url, follow=True)
        self.assertContains(response, "several test alerts")
        self.assertEqual(Notification.objects.filter(event="tracker.test").count(), 5)

    def test_only_a_guardian_of_the_family_sees_the_page_or_sends_a_test(self) -> None:
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.reach).status_code, 404)
        self.assertEqual(self.client.post(self.test_url).status_code, 404)
        self.assertFalse(Notification.objects.exists())
        self.login(self.alice)
        self.assertEqual(self.client.get(self.test_url).status_code, 405)
