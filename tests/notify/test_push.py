from __future__ import annotations

import stat
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from django.test import override_settings

from carewatch.platform.notify import vapid
from carewatch.platform.notify.models import Status
from tests.notify.helpers import NotifyTestCase
from tests.notify.servers import BrowserKeys, HttpReceiver, verified_vapid_claims


class PushTests(NotifyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.push_service = HttpReceiver().__enter__()
        self.addCleanup(self.push_service.__exit__)
        self.browser = BrowserKeys()
        endpoint = self.push_service.url("/wpush/v2/abc123")
        self.subscription = self.channel("push", self.browser.subscription(endpoint))

    def test_it_sends_an_encrypted_payload_with_a_vapid_signature(self) -> None:
        row = self.send_now(self.subscription, url="/kids/", event="kids.sos")
        self.assertEqual(row.status, Status.SENT)
        [request] = self.push_service.requests
        self.assertEqual(request.path, "/wpush/v2/abc123")
        self.assertEqual(request.headers["content-encoding"], "aes128gcm")
        self.assertEqual(request.headers["ttl"], "86400")
        claims, key = verified_vapid_claims(request.headers["authorization"])
        self.assertEqual(key, vapid.public_key())
        self.assertEqual(claims["aud"], self.push_service.url("").rstrip("/"))
        self.assertEqual(claims["sub"], "mailto:admin@carewatch.local")
        self.assertGreater(claims["exp"], time.time())
        self.assertEqual(
            self.browser.decrypt(request.body),
            {
                "title": "Aarav left School",
                "body": "At 15:10, near the gate.",
                "url": "http://127.0.0.1:8000/kids/",
                "tag": "kids.sos",
            },
        )

    def test_it_disables_a_subscription_the_push_service_says_is_gone(self) -> None:
        self.push_service.statuses = [410]
        self.assertEqual(self.send_now(self.subscription).status, Status.FAILED)
        self.subscription.refresh_from_db()
        self.assertTrue(self.subscription.disabled)
        self.assertIn("HTTP 410", self.subscription.disabled_reason)

    def test_it_retries_when_the_push_service_is_busy(self) -> None:
        self.push_service.statuses = [503]
        self.assertEqual(self.send_now(self.subscription).status, Status.RETRYING)

    def test_it_disables_a_subscription_with_broken_keys(self) -> None:
        self.subscription.value["keys"]["p256dh"] = "bm90LWEta2V5"
        self.subscription.save()
        self.assertEqual(self.send_now(self.subscription).status, Status.FAILED)
        self.assertEqual(self.push_service.requests, [])


class VapidKeyTests(NotifyTestCase):
    def test_it_generates_the_key_pair_once_and_keeps_it_private(self) -> None:
        with TemporaryDirectory() as folder:
            path = Path(folder) / "keys" / "vapid.pem"
            with override_settings(VAPID_PRIVATE_KEY_FILE=path):
                first = vapid.public_key()
                self.assertTrue(path.exists())
                self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)
                vapid._loaded.clear()  # as if the server restarted
                self.assertEqual(vapid.public_key(), first)
        self.assertEqual(len(first), 87, "65 bytes, base64url without padding")
