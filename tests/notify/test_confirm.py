from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from carewatch.platform.notify import confirm, sending
from carewatch.platform.notify.models import Channel
from tests.notify.helpers import NotifyTestCase


class EmailConfirmationTests(NotifyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.alice)

    def add(self, email: str) -> Channel:
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("notify:add_channel", args=["email"]), {"email": email})
        return Channel.objects.get(kind="email", value__email=email)

    def confirmation_link(self) -> str:
        [message] = mail.outbox
        match = re.search(
            r"http://127\.0\.0\.1:8000(/notifications/confirm/\S+/)", str(message.body)
        )
        assert match, message.body
        return match.group(1)

    def test_it_needs_no_link_for_the_owners_own_verified_address(self) -> None:
        self.assertTrue(self.add("alice@example.org").verified)
        self.assertEqual(mail.outbox, [])

    def test_it_mails_a_link_to_any_other_address_and_sends_nothing_else_until_confirmed(
        self,
    ) -> None:
        channel = self.add("grandma@example.org")
        self.assertFalse(channel.verified)
        self.assertEqual(mail.outbox[0].to, ["grandma@example.org"])
        self.assertIn("alice@example.org asked CareWatch", mail.outbox[0].body)
        with self.captureOnCommitCallbacks(execute=True):
            sent = sending.send(self.alice, "SOS", "Aarav pressed SOS.")
        self.assertNotIn(channel, [n.channel for n in sent])
        response = self.client.post(reverse("notify:test_channel", args=[channel.pk]), follow=True)
        self.assertContains(response, "Confirm the address")

    def test_the_recipient_confirms_with_a_button_not_by_merely_opening_the_link(self) -> None:
        channel = self.add("grandma@example.org")
        link = self.confirmation_link()
        self.client.logout()  # the recipient has no account
        self.assertContains(self.client.get(link), "Yes, send alerts to this address")
        channel.refresh_from_db()
        self.assertFalse(channel.verified, "a mail scanner opening the link confirms nothing")
        self.assertContains(self.client.post(link), "Thank you")
        channel.refresh_from_db()
        self.assertTrue(channel.verified)

    def test_it_refuses_a_forged_or_stale_link(self) -> None:
        channel = self.add("grandma@example.org")
        token = confirm.make_token(channel)
        forged = reverse("notify:confirm", args=[token[:-2] + "xx"])
        self.assertEqual(self.client.post(forged).status_code, 404)
        channel.value["email"] = "someone-else@example.org"
        channel.save()
        stale = reverse("notify:confirm", args=[token])
        self.assertContains(self.client.post(stale), "not valid or has expired", status_code=404)
        channel.refresh_from_db()
        self.assertFalse(channel.verified)


class TestLimitTests(NotifyTestCase):
    def test_it_limits_test_notifications_per_channel_and_hour(self) -> None:
        self.login(self.alice)
        box = Channel.objects.get(owner=self.alice, kind="inbox")
        url = reverse("notify:test_channel", args=[box.pk])
        with self.captureOnCommitCallbacks(execute=True):
            for _ in range(7):
                response = self.client.post(url, follow=True)
        self.assertContains(response, "wait a while")
        self.assertEqual(box.notifications.count(), 5)


class PushKeyTests(NotifyTestCase):
    def test_it_serves_the_public_key_to_signed_in_users(self) -> None:
        from carewatch.platform.notify import vapid

        self.login(self.bob)
        response = self.client.get(reverse("notify:push_key"))
        self.assertEqual(response.json(), {"publicKey": vapid.public_key()})
