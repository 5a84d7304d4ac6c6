from __future__ import annotations

from unittest import mock

from django.test import override_settings
from django.urls import reverse

from carewatch.platform.notify import inbox
from carewatch.platform.notify.models import Channel, Status
from carewatch.platform.notify.transports.webhook import WebhookTransport
from carewatch.platform.notify.views import MAX_CHANNELS
from tests.notify.helpers import NotifyTestCase

SMS_ON = override_settings(SMS_API_URL="https://sms.example.org/v1", SMS_API_TOKEN="t")


def add_url(kind: str) -> str:
    return reverse("notify:add_channel", args=[kind])


class ChannelPageTests(NotifyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.alice)

    def test_it_lists_the_users_channels_with_the_inbox_always_first(self) -> None:
        self.channel("email", {"email": "alice@example.org"}, name="My mail")
        self.channel("email", {"email": "bob@example.org"}, owner=self.bob, name="Bob's mail")
        response = self.client.get(reverse("notify:channels"))
        self.assertContains(response, "In the app")
        self.assertContains(response, "My mail")
        self.assertNotContains(response, "Bob's mail")
        self.assertNotContains(response, add_url("sms"), msg_prefix="SMS is not configured")

    def test_it_adds_an_email_channel(self) -> None:
        response = self.client.post(add_url("email"), {"email": "Alice@Example.org", "name": ""})
        channel = Channel.objects.get(owner=self.alice, kind="email")
        self.assertRedirects(response, reverse("notify:channel", args=[channel.pk]))
        self.assertEqual(
            (channel.name, channel.value), ("alice@example.org", {"email": "alice@example.org"})
        )

    def test_it_refuses_a_bad_email_address_and_keeps_what_was_typed(self) -> None:
        for hostile in [
            "not-an-address",
            "a@b.c\r\nBcc: x@evil.example",
            "<script>@x.org",
            "a@" + "x" * 300 + ".org",
        ]:
            with self.subTest(hostile=hostile):
                response = self.client.post(add_url("email"), {"email": hostile, "name": "Work"})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, 'value="Work"', status_code=400)
                self.assertContains(response, "aria-invalid", status_code=400)
                self.assertNotContains(response, "<script>@", status_code=400)
        self.assertFalse(Channel.objects.filter(kind="email").exists())

    @SMS_ON
    def test_it_adds_an_sms_channel_with_the_number_normalised(self) -> None:
        self.client.post(add_url("sms"), {"phone": "+91 (98765) 43-210"})
        self.assertEqual(Channel.objects.get(kind="sms").value, {"phone": "+919876543210"})
        self.client.post(add_url("sms"), {"phone": "0044 20 7946 0958"})
        self.assertTrue(Channel.objects.filter(value__phone="+442079460958").exists())

    @SMS_ON
    def test_it_refuses_an_invalid_phone_number_with_a_sentence_that_says_what_to_do(self) -> None:
        for hostile in [
            "5876543210",
            "+91 98765 4321O",
            "+",
            "+0123456789",
            "+1234567890123456789",
            "+९१९८७६५४३२१०",
            "'; DROP TABLE x;--",
        ]:
            with self.subTest(hostile=hostile):
                response = self.client.post(add_url("sms"), {"phone": hostile})
                self.assertContains(response, "+ and the country code", status_code=400)
        response = self.client.post(add_url("sms"), {"phone": "+91" + "9" * 30})
        self.assertContains(response, "at most 24 characters", status_code=400)
        response = self.client.post(add_url("sms"), {"phone": "+91\x0098765"})
        self.assertContains(response, "Null characters are not allowed", status_code=400)
        self.assertFalse(Channel.objects.filter(kind="sms").exists())
        self.assertFalse(Channel.objects.filter(kind="sms").exists())

    def test_it_says_when_sms_is_not_available(self) -> None:
        response = self.client.get(add_url("sms"), follow=True)
        self.assertContains(response, "SMS is not available on this server")

    def test_it_adds_a_webhook_and_shows_its_secret_once(self) -> None:
        response = self.client.post(
            add_url("webhook"), {"url": "http://127.0.0.1:9/hook"}, follow=True
        )
        channel = Channel.objects.get(kind="webhook")
        secret = channel.value["secret"]
        self.assertGreaterEqual(len(secret), 40)
        self.assertContains(response, secret)
        self.assertNotContains(
            self.client.get(reverse("notify:channel", args=[channel.pk])), secret
        )

    @override_settings(OUTGOING_HTTP_ALLOW_PRIVATE=False)
    def test_it_refuses_webhooks_to_private_addresses(self) -> None:
        for hostile in [
            "http://127.0.0.1/hook",
            "http://169.254.169.254/latest",
            "http://[::1]/",
            "http://localhost/",
        ]:
            with self.subTest(hostile=hostile):
                response = self.client.post(add_url("webhook"), {"url": hostile})
                self.assertContains(response, "private or local network", status_code=400)
                self.assertContains(
                    response, hostile, status_code=400, msg_prefix="what was typed stays"
                )

    @override_settings(PRODUCTION=True)
    def test_it_requires_https_for_webhooks_in_production(self) -> None:
        response = self.client.post(add_url("webhook"), {"url": "http://hooks.example.org/x"})
        self.assertContains(response, "must start with https://", status_code=400)

    def test_it_refuses_webhook_urls_that_are_not_web_addresses(self) -> None:
        for hostile in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "hooks.example.org",
            "x" * 600,
        ]:
            with self.subTest(hostile=hostile):
                self.assertEqual(
                    self.client.post(add_url("webhook"), {"url": hostile}).status_code, 400
                )
        self.assertFalse(Channel.objects.filter(kind="webhook").exists())

    def test_it_escapes_a_hostile_channel_name(self) -> None:
        self.client.post(
            add_url("email"), {"email": "a@example.org", "name": "<img src=x onerror=alert(1)>"}
        )
        response = self.client.get(reverse("notify:channels"))
        self.assertNotContains(response, "<img src=x")
        self.assertContains(response, "&lt;img src=x onerror=alert(1)&gt;")

    def test_it_does_not_know_other_kinds(self) -> None:
        self.assertEqual(self.client.get(add_url("inbox")).status_code, 404)
        self.assertEqual(self.client.get(add_url("carrier-pigeon")).status_code, 404)

    def test_it_limits_how_many_channels_a_user_has(self) -> None:
        for n in range(MAX_CHANNELS - 1):
            self.channel("email", {"email": f"a{n}@example.org"})
        response = self.client.post(
            add_url("email"), {"email": "one-more@example.org"}, follow=True
        )
        self.assertContains(response, "the most allowed", status_code=400)
        self.assertEqual(Channel.objects.filter(owner=self.alice).count(), MAX_CHANNELS)

    def test_it_sends_a_test_notification(self) -> None:
        channel = self.channel("webhook", {"url": "https://hooks.example.org/", "secret": "s"})
        with (
            mock.patch.object(WebhookTransport, "notify"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            response = self.client.post(
                reverse("notify:test_channel", args=[channel.pk]), follow=True
            )
        self.assertContains(response, "A test notification is on its way")
        self.assertEqual(channel.notifications.get().status, Status.SENT)
        self.assertContains(
            self.client.get(reverse("notify:channel", args=[channel.pk])),
            "Test notification from CareWatch",
        )

    def test_it_turns_a_channel_off_and_on_with_htmx(self) -> None:
        channel = self.channel("email", {"email": "a@example.org"})
        response = self.client.post(
            reverse("notify:disable_channel", args=[channel.pk]), headers={"HX-Request": "true"}
        )
        self.assertContains(response, f'id="channel-{channel.pk}"')
        self.assertContains(response, "is off")
        channel.refresh_from_db()
        self.assertTrue(channel.disabled)
        self.assertRedirects(
            self.client.post(reverse("notify:enable_channel", args=[channel.pk])),
            reverse("notify:channels"),
        )
        channel.refresh_from_db()
        self.assertEqual((channel.disabled, channel.disabled_reason), (False, ""))

    def test_it_deletes_a_channel_after_asking(self) -> None:
        channel = self.channel("email", {"email": "a@example.org"})
        self.assertContains(
            self.client.get(reverse("notify:delete_channel", args=[channel.pk])), "Delete"
        )
        self.client.post(reverse("notify:delete_channel", args=[channel.pk]))
        self.assertFalse(Channel.objects.filter(pk=channel.pk).exists())

    def test_it_keeps_the_inbox_on(self) -> None:
        box = inbox.inbox_channel(self.alice)
        self.client.post(reverse("notify:disable_channel", args=[box.pk]))
        self.client.post(reverse("notify:delete_channel", args=[box.pk]))
        box.refresh_from_db()
        self.assertFalse(box.disabled)

    def test_it_shows_why_a_channel_was_disabled(self) -> None:
        channel = self.channel(
            "email",
            {"email": "a@example.org"},
            disabled=True,
            disabled_reason="The mail server refused the address.",
        )
        response = self.client.get(reverse("notify:channel", args=[channel.pk]))
        self.assertContains(response, "The mail server refused the address.")
