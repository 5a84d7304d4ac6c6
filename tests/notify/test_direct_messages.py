"""Messages to a contact without an account: after commit, through the task queue."""

from __future__ import annotations

from django.db import transaction
from django.test import TestCase, TransactionTestCase, override_settings

from carewatch.platform.notify import direct
from carewatch.platform.notify.transports.base import TransportError
from tests.mailbox import smtp_server
from tests.notify.servers import HttpReceiver


class DirectMessageTests(TransactionTestCase):
    def test_it_sends_an_email_with_text_and_html_after_commit(self) -> None:
        with smtp_server() as mailbox:
            with transaction.atomic():
                direct.send_email(
                    "ravi@example.com", "Your booking", "See you at 10:00", "<p>x</p>"
                )
                self.assertEqual(mailbox.messages, [])
            [message] = mailbox.messages
        self.assertEqual(message["To"], "ravi@example.com")
        self.assertEqual(message["Subject"], "Your booking")
        self.assertIn("See you at 10:00", message.get_body(("plain",)).get_content())
        self.assertIsNotNone(message.get_body(("html",)))

    def test_it_sends_nothing_when_the_transaction_rolls_back(self) -> None:
        with smtp_server() as mailbox:
            try:
                with transaction.atomic():
                    direct.send_email("ravi@example.com", "Your booking", "text")
                    raise RuntimeError("the booking failed")
            except RuntimeError:
                pass
        self.assertEqual(mailbox.messages, [])

    def test_it_posts_an_sms_with_a_reference_to_the_provider(self) -> None:
        with (
            HttpReceiver() as provider,
            override_settings(SMS_API_URL=provider.url("/v1/sms"), SMS_API_TOKEN="provider-token"),
            transaction.atomic(),
        ):
            reference = direct.send_sms("+919876543210", "Your code is 123456")
        [request] = provider.requests
        self.assertEqual(request.headers["authorization"], "Bearer provider-token")
        self.assertEqual(
            request.json(),
            {"to": "+919876543210", "text": "Your code is 123456", "reference": reference},
        )


class SmsNotConfiguredTests(TestCase):
    def test_it_says_what_is_missing_when_sms_is_not_set_up(self) -> None:
        with (
            override_settings(SMS_API_URL=""),
            self.assertRaisesMessage(TransportError, "SMS is not set up on this server"),
        ):
            direct.sms_now("+919876543210", "text", "ref")
