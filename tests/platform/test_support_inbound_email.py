"""Replies by e-mail: a reply to an answer e-mail comes back through the inbound-mail
webhook into the same thread, without the quoted text; a wrong secret, a forged or
expired reply address, another sender, a huge or malformed body store nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from unittest import mock

from django.test import override_settings

from carewatch.platform.support import replies
from carewatch.platform.support.models import Author, Message, Status, Thread, Via
from tests.mailbox import smtp_server
from tests.platform.support_base import DOMAIN, SECRET, SupportTestCase

HOOK = "/support/inbound-email/"
REPLY = "Thanks, it works now.\n\nOn Mon, 7 Dec 2026 at 10:15, CareWatch <x@y.z> wrote:\n> old"


class InboundEmailTests(SupportTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.thread = self.handover()
        with smtp_server() as mailbox:
            self.answer(self.thread)
        self.client.logout()
        self.reply_to = mailbox.messages[0]["Reply-To"]

    def post(self, fields: dict[str, Any] | None = None, **headers: Any) -> Any:
        data = {"to": self.reply_to, "from": "Ravi <ravi@example.org>", "subject": "Re: x"}
        data |= {"text": REPLY, **(fields or {})}
        meta: dict[str, Any] = {"HTTP_X_INBOUND_SECRET": SECRET, **headers}
        return self.client.post(HOOK, json.dumps(data), content_type="application/json", **meta)

    def user_messages(self) -> int:
        return Message.objects.filter(thread=self.thread, author=Author.USER).count()

    def test_a_reply_lands_in_its_thread_without_the_quoted_text_and_waits_for_staff(self) -> None:
        response = self.post()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["thread"], self.thread.pk)
        message = Message.objects.get(pk=response.json()["message"])
        self.assertEqual((message.text, message.via), ("Thanks, it works now.", Via.EMAIL))
        self.thread.refresh_from_db()
        self.assertEqual(self.thread.status, Status.OPEN)
        self.login(self.staff)
        inbox = self.client.get("/support/inbox/")
        self.assertContains(inbox, self.thread.subject)
        self.assertContains(self.client.get(f"/support/inbox/{self.thread.pk}/"), "by e-mail")

    def test_sendgrid_mailgun_and_postmark_field_names_are_accepted(self) -> None:
        form = {"to": self.reply_to, "from": "ravi@example.org", "text": "First."}
        response = self.client.post(HOOK, form, HTTP_X_INBOUND_SECRET=SECRET)
        self.assertEqual(response.status_code, 200, response.content)
        mailgun = {"recipient": self.reply_to, "sender": "RAVI@example.org", "body-plain": "2nd"}
        self.assertEqual(
            self.client.post(HOOK, mailgun, HTTP_X_INBOUND_SECRET=SECRET).status_code, 200
        )
        postmark = {"To": self.reply_to, "From": "ravi@example.org", "TextBody": "Third."}
        response = self.client.post(
            HOOK, postmark, content_type="application/json", HTTP_X_INBOUND_SECRET=SECRET
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.user_messages(), 5)

    def test_an_hmac_signature_of_the_body_or_the_key_in_the_url_is_accepted(self) -> None:
        body = json.dumps({"to": self.reply_to, "from": "ravi@example.org", "text": "Signed."})
        signature = "sha256=" + hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
        response = self.client.post(
            HOOK, body, content_type="application/json", HTTP_X_INBOUND_SIGNATURE=signature
        )
        self.assertEqual(response.status_code, 200)
        response = self.client.post(f"{HOOK}?key={SECRET}", body, content_type="application/json")
        self.assertEqual(response.status_code, 200)

    def test_a_wrong_or_missing_secret_or_signature_is_refused_and_nothing_stored(self) -> None:
        headers: dict[str, Any]
        for headers in [
            {"HTTP_X_INBOUND_SECRET": "wrong"},
            {"HTTP_X_INBOUND_SECRET": ""},
            {"HTTP_X_INBOUND_SECRET": "", "HTTP_X_INBOUND_SIGNATURE": "sha256=00"},
            {"HTTP_X_INBOUND_SECRET": "", "HTTP_X_INBOUND_SIGNATURE": ""},
        ]:
            response = self.post(None, **headers)
            self.assertEqual(response.status_code, 403, headers)
            self.assertIn("secret", response.json()["error"])
        self.assertEqual(self.user_messages(), 2)

    def test_without_a_configured_secret_every_request_is_refused(self) -> None:
        with override_settings(INBOUND_EMAIL_SECRET=""):
            response = self.post(HTTP_X_INBOUND_SECRET="")
        self.assertEqual(response.status_code, 503)
        self.assertIn("INBOUND_EMAIL_SECRET", response.json()["error"])
        self.assertEqual(self.user_messages(), 2)

    def test_a_forged_or_expired_reply_address_is_refused_for_good(self) -> None:
        other = self.handover(email="someone@example.org")
        token = replies.token_from_recipients(self.reply_to, DOMAIN)
        assert token is not None
        _, issued, signature = token.split("-")
        long_ago = int(time.time()) - 91 * 86_400
        for to in [
            f"reply+{other.pk}-{issued}-{signature}@{DOMAIN}",  # another thread's number
            f"reply+{replies.make_token(self.thread.pk, int(time.time()), 'guess')}@{DOMAIN}",
            f"reply+{replies.make_token(self.thread.pk, long_ago, 'x')}@{DOMAIN}",
            self.reply_to.replace(DOMAIN, "evil.example"),
            "support@carewatch.example",
            "",
        ]:
            response = self.post({"to": to})
            self.assertIn(response.status_code, (400, 406), to)
        with mock.patch("time.time", return_value=time.time() + 91 * 86_400):
            response = self.post()
        self.assertEqual(response.status_code, 406)
        self.assertIn("not valid or has expired", response.json()["error"])
        self.assertEqual(self.user_messages(), 2)
        self.assertEqual(Message.objects.filter(thread=other).count(), 3)

    def test_a_sender_who_is_not_the_thread_s_person_is_refused(self) -> None:
        for sender in ["mallory@example.org", "ravi@example.org.evil.example", "", "<>"]:
            response = self.post({"from": sender})
            self.assertIn(response.status_code, (400, 406), sender)
        response = self.post({"from": "Mallory <mallory@example.org>"})
        self.assertEqual(
            response.json()["error"], "The sender is not the person this conversation is with."
        )
        self.assertEqual(self.user_messages(), 2)

    def test_a_reply_with_only_quoted_text_is_refused(self) -> None:
        response = self.post({"text": "\n> old answer\n"})
        self.assertEqual(response.status_code, 406)
        self.assertIn("no new words", response.json()["error"])

    def test_a_huge_body_is_refused_before_it_is_read(self) -> None:
        response = self.post({"text": "x" * 300_000})
        self.assertEqual(response.status_code, 413)
        response = self.client.post(
            HOOK,
            b"{}",
            content_type="application/json",
            HTTP_X_INBOUND_SECRET=SECRET,
            CONTENT_LENGTH="999999999",
        )
        self.assertEqual(response.status_code, 413)
        self.assertEqual(self.user_messages(), 2)

    def test_malformed_bodies_are_refused_with_what_to_send(self) -> None:
        for body in ["not json", "[1, 2]", '{"to": 5, "from": "x", "text": "y"}', "{}", "null"]:
            response = self.client.post(
                HOOK, body, content_type="application/json", HTTP_X_INBOUND_SECRET=SECRET
            )
            self.assertEqual(response.status_code, 400, body)
            self.assertIn("to, from and text", response.json()["error"])
        self.assertEqual(self.client.get(HOOK).status_code, 405)
        self.assertEqual(self.user_messages(), 2)

    def test_a_long_reply_is_cut_to_the_message_limit(self) -> None:
        response = self.post({"text": "word " * 2000})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(Message.objects.get(pk=response.json()["message"]).text), 4000)

    def test_a_reply_to_a_signed_in_user_s_answer_comes_from_their_account_address(self) -> None:
        thread = self.handover(user=self.alice, email="")
        with smtp_server() as mailbox:
            self.answer(thread)
        self.client.logout()
        reply_to = mailbox.messages[0]["Reply-To"]
        response = self.post({"to": reply_to, "from": "Alice <alice@example.org>"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Thread.objects.get(pk=thread.pk).status, Status.OPEN)
