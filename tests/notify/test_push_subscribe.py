from __future__ import annotations

import json
from typing import Any

from django.test import override_settings
from django.urls import reverse

from carewatch.platform.notify import vapid
from carewatch.platform.notify.models import Channel
from tests.notify.helpers import NotifyTestCase
from tests.notify.servers import BrowserKeys

# An address literal: no DNS needed to run the tests offline.
ENDPOINT = "https://93.184.215.14/wpush/v2/gAAAAABk"


class PushSubscribeTests(NotifyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.alice)
        self.url = reverse("notify:add_push")

    def subscribe(self, body: Any, *, raw: str | None = None) -> Any:
        data = raw if raw is not None else json.dumps(body)
        return self.client.post(self.url, data, content_type="application/json")

    def test_the_page_carries_the_public_key_and_the_script(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, f'data-public-key="{vapid.public_key()}"')
        self.assertContains(response, "notify/push.js")
        self.assertContains(response, "<noscript>")

    def test_it_saves_the_browsers_subscription_once(self) -> None:
        subscription = BrowserKeys().subscription(ENDPOINT)
        response = self.subscribe({"subscription": subscription, "name": "My phone"})
        self.assertEqual(response.status_code, 201)
        channel = Channel.objects.get(kind="push")
        self.assertEqual(
            response.json(),
            {"id": channel.pk, "redirect": f"/notifications/channels/{channel.pk}/"},
        )
        self.assertEqual(
            (channel.owner, channel.name, channel.value), (self.alice, "My phone", subscription)
        )
        self.subscribe({"subscription": subscription})
        self.assertEqual(Channel.objects.filter(kind="push").count(), 1)

    def test_it_needs_the_csrf_token(self) -> None:
        self.client.handler.enforce_csrf_checks = True
        response = self.subscribe({"subscription": BrowserKeys().subscription(ENDPOINT)})
        self.assertEqual(response.status_code, 403)

    def test_it_refuses_what_is_not_a_usable_subscription_with_a_sentence(self) -> None:
        good = BrowserKeys().subscription(ENDPOINT)
        hostile: list[Any] = [
            None,
            [],
            "x",
            {"subscription": "x"},
            {"subscription": {"keys": good["keys"]}},
            {"subscription": {"endpoint": ENDPOINT}},
            {
                "subscription": {
                    "endpoint": ENDPOINT,
                    "keys": {"p256dh": "AAAA", "auth": good["keys"]["auth"]},
                }
            },
            {
                "subscription": {
                    "endpoint": ENDPOINT,
                    "keys": {"p256dh": good["keys"]["p256dh"], "auth": "<script>"},
                }
            },
            {"subscription": {"endpoint": "javascript:alert(1)", "keys": good["keys"]}},
            {"subscription": {"endpoint": "https://x.org/" + "a" * 2000, "keys": good["keys"]}},
        ]
        for body in hostile:
            with self.subTest(body=str(body)[:60]):
                response = self.subscribe(body)
                self.assertEqual(response.status_code, 400)
                self.assertTrue(response.json()["error"].endswith("."))
        self.assertEqual(self.subscribe(None, raw="{not json").status_code, 400)
        self.assertFalse(Channel.objects.filter(kind="push").exists())

    @override_settings(OUTGOING_HTTP_ALLOW_PRIVATE=False)
    def test_it_refuses_a_push_endpoint_on_a_private_address(self) -> None:
        subscription = BrowserKeys().subscription("https://169.254.169.254/push")
        response = self.subscribe({"subscription": subscription})
        self.assertEqual(response.status_code, 400)
        self.assertIn("private or local network", response.json()["error"])
