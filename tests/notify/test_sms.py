from __future__ import annotations

from django.test import override_settings

from carewatch.platform.notify.models import Status
from carewatch.platform.notify.transports.sms import MAX_LENGTH
from tests.notify.helpers import NotifyTestCase
from tests.notify.servers import HttpReceiver


class SmsTests(NotifyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.provider = HttpReceiver().__enter__()
        self.addCleanup(self.provider.__exit__)
        configured = override_settings(
            SMS_API_URL=self.provider.url("/v1/sms"),
            SMS_API_TOKEN="provider-token",
            OUTGOING_HTTP_ALLOW_PRIVATE=False,  # the operator's own URL is trusted anyway
        )
        configured.enable()
        self.addCleanup(configured.disable)
        self.phone = self.channel("sms", {"phone": "+919876543210"})

    def test_it_posts_the_number_and_text_with_the_bearer_token(self) -> None:
        row = self.send_now(self.phone, url="/kids/")
        self.assertEqual(row.status, Status.SENT)
        [request] = self.provider.requests
        self.assertEqual(request.path, "/v1/sms")
        self.assertEqual(request.headers["authorization"], "Bearer provider-token")
        self.assertEqual(request.headers["content-type"], "application/json")
        body = request.json()
        self.assertEqual(body["to"], "+919876543210")
        self.assertEqual(
            body["text"],
            "CareWatch: Aarav left School. At 15:10, near the gate. http://127.0.0.1:8000/kids/",
        )
        self.assertEqual(body["reference"], str(row.code))

    def test_it_cuts_long_texts_but_keeps_the_link(self) -> None:
        self.send_now(self.phone, text="x" * 2000, url="/kids/")
        text = self.provider.requests[0].json()["text"]
        self.assertLessEqual(len(text), MAX_LENGTH)
        self.assertTrue(text.endswith("… http://127.0.0.1:8000/kids/"))

    def test_it_retries_when_the_provider_is_down(self) -> None:
        self.provider.statuses = [502]
        self.assertEqual(self.send_now(self.phone).status, Status.RETRYING)

    def test_it_disables_the_channel_when_the_provider_rejects_the_number(self) -> None:
        self.provider.statuses = [422]
        self.assertEqual(self.send_now(self.phone).status, Status.FAILED)
        self.phone.refresh_from_db()
        self.assertTrue(self.phone.disabled)

    def test_it_fails_clearly_when_sms_is_not_configured(self) -> None:
        with override_settings(SMS_API_URL=""):
            row = self.send_now(self.phone)
        self.assertEqual(row.status, Status.FAILED)
        self.assertIn("SMS is not set up", row.error)
        self.assertEqual(self.provider.requests, [])
