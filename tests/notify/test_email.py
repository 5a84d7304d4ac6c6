from __future__ import annotations

from django.test import override_settings

from carewatch.platform.notify import inbox
from carewatch.platform.notify.models import Status
from tests.conftest import free_port
from tests.notify.helpers import NotifyTestCase
from tests.notify.servers import SmtpServer


class EmailTests(NotifyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.smtp = SmtpServer().__enter__()
        self.addCleanup(self.smtp.__exit__)
        self.settings_override = override_settings(**self.smtp.settings())
        self.settings_override.enable()
        self.addCleanup(self.settings_override.disable)

    def test_it_delivers_html_and_plain_text_to_an_smtp_server(self) -> None:
        channel = self.channel("email", {"email": "alice@example.org"})
        row = self.send_now(
            channel, "Aarav left School", url="/kids/children/1/", event="kids.leave"
        )
        self.assertEqual(row.status, Status.SENT)
        [message] = self.smtp.messages
        self.assertEqual(self.smtp.handler.recipients, [["alice@example.org"]])
        self.assertEqual(message["Subject"], "[CareWatch] Aarav left School")
        self.assertEqual(message["X-CareWatch-Event"], "kids.leave")
        plain = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
        self.assertIn("At 15:10, near the gate.", plain)
        self.assertIn("http://127.0.0.1:8000/kids/children/1/", plain)
        self.assertIn('href="http://127.0.0.1:8000/kids/children/1/"', html)
        self.assertIn("<h1", html)

    def test_it_escapes_text_in_the_html_part(self) -> None:
        channel = self.channel("email", {"email": "alice@example.org"})
        self.send_now(channel, "Hi", text="<script>alert(1)</script>")
        html = self.smtp.messages[0].get_body(("html",)).get_content()  # type: ignore[union-attr]
        self.assertNotIn("<script>", html)
        self.assertIn("&lt;script&gt;", html)

    def test_it_writes_the_mail_in_the_owners_language(self) -> None:
        self.alice.language = "hi"
        self.alice.save()
        channel = self.channel("email", {"email": "alice@example.org"})
        self.send_now(channel)
        html = self.smtp.messages[0].get_body(("html",)).get_content()  # type: ignore[union-attr]
        self.assertIn('<html lang="hi">', html)

    def test_it_disables_the_channel_when_the_server_refuses_the_recipient(self) -> None:
        channel = self.channel("email", {"email": "refused@example.org"})
        row = self.send_now(channel)
        self.assertEqual(row.status, Status.FAILED)
        self.assertTrue(row.attempts.get().permanent)
        channel.refresh_from_db()
        self.assertTrue(channel.disabled)
        self.assertIn("refused the address", channel.disabled_reason)
        self.assertEqual(inbox.unread_count(self.alice), 1)

    def test_it_retries_when_the_server_says_try_later(self) -> None:
        channel = self.channel("email", {"email": "greylisted@example.org"})
        row = self.send_now(channel)
        self.assertEqual(row.status, Status.RETRYING)
        self.assertEqual(len(self.scheduled()), 1)

    def test_it_retries_when_the_mail_server_cannot_be_reached(self) -> None:
        channel = self.channel("email", {"email": "alice@example.org"})
        with override_settings(EMAIL_PORT=free_port()):
            row = self.send_now(channel)
        self.assertEqual(row.status, Status.RETRYING)
        self.assertIn("could not be reached", row.error)
        channel.refresh_from_db()
        self.assertFalse(channel.disabled)
