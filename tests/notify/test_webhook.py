from __future__ import annotations

import time

from django.test import override_settings

from carewatch.platform.notify.models import Status
from carewatch.platform.notify.transports.webhook import new_secret
from tests.notify.helpers import NotifyTestCase
from tests.notify.servers import HttpReceiver, signature_is_valid


class WebhookTests(NotifyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.receiver = HttpReceiver().__enter__()
        self.addCleanup(self.receiver.__exit__)
        self.secret = new_secret()
        self.hook = self.channel(
            "webhook", {"url": self.receiver.url("/hook"), "secret": self.secret}
        )

    def test_it_posts_signed_json(self) -> None:
        row = self.send_now(self.hook, url="/kids/", event="kids.sos", payload={"child": 7})
        self.assertEqual(row.status, Status.SENT)
        [request] = self.receiver.requests
        self.assertEqual(request.path, "/hook")
        self.assertTrue(signature_is_valid(self.secret, request))
        self.assertAlmostEqual(int(request.headers["x-carewatch-timestamp"]), time.time(), delta=5)
        self.assertEqual(request.headers["x-carewatch-event"], "kids.sos")
        self.assertEqual(request.headers["x-carewatch-delivery"], str(row.code))
        body = request.json()
        self.assertEqual(body["id"], str(row.code))
        self.assertEqual(body["subject"], "Aarav left School")
        self.assertEqual(body["payload"], {"child": 7})
        self.assertEqual(body["url"], "http://127.0.0.1:8000/kids/")

    def test_its_signature_does_not_verify_with_another_secret(self) -> None:
        self.send_now(self.hook)
        self.assertFalse(signature_is_valid(new_secret(), self.receiver.requests[0]))

    def test_it_retries_on_a_server_error_with_the_same_delivery_id(self) -> None:
        self.receiver.statuses = [503]
        row = self.send_now(self.hook)
        self.assertEqual(row.status, Status.RETRYING)
        self.assertIn("HTTP 503", row.error)
        from carewatch.platform.notify import tasks

        tasks.deliver.call_local(row.pk)
        row.refresh_from_db()
        self.assertEqual(row.status, Status.SENT)
        first, second = self.receiver.requests
        self.assertEqual(
            first.headers["x-carewatch-delivery"], second.headers["x-carewatch-delivery"]
        )

    def test_it_retries_on_429_but_gives_up_on_other_client_errors(self) -> None:
        self.receiver.statuses = [429]
        self.assertEqual(self.send_now(self.hook).status, Status.RETRYING)
        self.receiver.statuses = [410]
        self.assertEqual(self.send_now(self.hook).status, Status.FAILED)
        self.hook.refresh_from_db()
        self.assertTrue(self.hook.disabled)
        self.assertIn("HTTP 410", self.hook.disabled_reason)

    @override_settings(OUTGOING_HTTP_ALLOW_PRIVATE=False)
    def test_it_refuses_a_private_address_at_send_time(self) -> None:
        row = self.send_now(self.hook)
        self.assertEqual(self.receiver.requests, [])
        self.assertEqual(row.status, Status.FAILED)
        self.hook.refresh_from_db()
        self.assertTrue(self.hook.disabled)
        self.assertIn("private or local network", self.hook.disabled_reason)
