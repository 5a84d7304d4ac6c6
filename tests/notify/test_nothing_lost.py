"""Nothing lost: with the mail server down, every kind of message waits as a row (pages
answer as usual), and once the server is back each is delivered exactly once."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from aiosmtpd.controller import Controller
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from carewatch.eyes.booking import notices
from carewatch.eyes.booking.models import Booking
from carewatch.eyes.portal import links
from carewatch.platform.accounts.models import FamilyInvite
from carewatch.platform.notify import confirm, tasks
from carewatch.platform.notify.models import Channel, Notification, Status
from tests.eyes.booking.helpers import form_data, in_days, make_centre
from tests.eyes.helpers import make_patient
from tests.kids.store.base import StoreTestCase
from tests.notify.servers import HttpReceiver, MailHandler, SmtpServer

EXPECTED = {
    ("meena@example.org", "eyes.portal_link"),
    ("meena@example.org", "eyes.portal_code"),
    ("lakshmi@example.org", "eyes.booking_confirmation"),
    ("lakshmi@example.org", "eyes.booking_reminder"),
    ("priya@example.org", "store.confirmation"),
    ("grandma@example.org", "accounts.invite"),
    ("newparent@example.org", "accounts.email_confirmation_signup"),
    ("bob@example.org", "accounts.password_reset_key"),
    ("neighbour@example.org", "notify.confirm_channel"),
}


class NothingLostTests(StoreTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.patient = make_patient(cls.clinic, cls.screener)
        cls.patient.phone, cls.patient.email = "", "meena@example.org"
        cls.patient.save()
        make_centre(cls.clinic, per_slot=1)

    def page(self, client: Client, url: str, data: dict[str, Any]) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(url, data)
        self.assertLess(response.status_code, 500, url)

    def make_every_kind_of_message(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            links.send_link(self.patient)  # as the signed report's receiver does
        patient_browser = Client()
        patient_browser.get(f"/eyes/my/r/{links.issue_link(self.patient)}/")
        self.page(patient_browser, "/eyes/my/code/", {})
        self.page(self.client, reverse("booking:book", args=["demo-centre"]), form_data(in_days(2)))
        with self.captureOnCommitCallbacks(execute=True):
            notices.reminder(Booking.objects.get())
        self.add_to_basket(self.junior)
        self.enter_details()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertLess(self.pay().status_code, 500)
        guardian = Client()
        guardian.force_login(self.alice)
        invite_url = reverse("accounts:invite", args=[self.family.pk])
        for _ in range(2):  # the page sent again, as after an error
            self.page(guardian, invite_url, {"email": "grandma@example.org"})
        self.page(
            Client(),
            reverse("account_signup"),
            {
                "email": "newparent@example.org",
                "password1": "pw-long-42-x",
                "password2": "pw-long-42-x",
            },
        )
        self.page(Client(), reverse("account_reset_password"), {"email": "bob@example.org"})
        channel = Channel.objects.create(
            owner=self.alice, kind="email", value={"email": "neighbour@example.org"}, verified=False
        )
        with self.captureOnCommitCallbacks(execute=True):
            confirm.queue_confirmation(channel)

    def contact_mails(self) -> Any:
        return Notification.objects.filter(channel=None, kind="email")

    def test_every_message_made_while_the_server_is_down_is_delivered_once_it_is_back(
        self,
    ) -> None:
        server = SmtpServer()
        with override_settings(**server.settings()):
            self.make_every_kind_of_message()  # the server was never started: it is down
            rows = self.contact_mails()
            self.assertEqual({(row.address, row.event) for row in rows}, EXPECTED)
            self.assertEqual({row.status for row in rows}, {Status.RETRYING})
            self.assertEqual(FamilyInvite.objects.count(), 1)
            self.assertNotIn("code is", " ".join(rows.values_list("text", flat=True)))

            rows.update(next_try=timezone.now() - dt.timedelta(hours=1))  # the backoff passes
            handler = MailHandler()
            controller = Controller(handler, hostname="127.0.0.1", port=server.port)
            controller.start()
            try:
                tasks.requeue_stuck.call_local()
                tasks.requeue_stuck.call_local()  # a second sweep finds nothing left
            finally:
                controller.stop()

        delivered = Counter(
            (message["To"], message["X-CareWatch-Event"]) for message in handler.messages
        )
        self.assertEqual(set(delivered), EXPECTED)
        self.assertEqual(set(delivered.values()), {1}, "each delivered exactly once")
        self.assertEqual({row.status for row in self.contact_mails()}, {Status.SENT})
        code_mail = next(
            m for m in handler.messages if m["X-CareWatch-Event"] == "eyes.portal_code"
        )
        self.assertRegex(code_mail.get_body(("plain",)).get_content(), r"\b\d{6}\b")

    def test_text_messages_made_while_the_sms_provider_is_down_go_once_it_is_back(self) -> None:
        with HttpReceiver() as provider:
            pass  # stopped: nothing answers on its port
        with override_settings(SMS_API_URL=provider.url("/sms"), SMS_API_TOKEN="t"):
            self.page(
                self.client, reverse("booking:book", args=["demo-centre"]), form_data(in_days(2))
            )
            with self.captureOnCommitCallbacks(execute=True):
                notices.reminder(Booking.objects.get())
        texts = Notification.objects.filter(kind="sms")
        self.assertEqual({row.status for row in texts}, {Status.RETRYING})
        texts.update(next_try=timezone.now() - dt.timedelta(hours=1))
        with (
            HttpReceiver() as provider,
            override_settings(SMS_API_URL=provider.url("/sms"), SMS_API_TOKEN="t"),
        ):
            tasks.requeue_stuck.call_local()
            tasks.requeue_stuck.call_local()
        references = [request.json()["reference"] for request in provider.requests]
        self.assertEqual(sorted(references), sorted(str(row.code) for row in texts))
        self.assertEqual({row.status for row in texts.all()}, {Status.SENT})

    def test_a_code_made_when_sending_opens_the_portal(self) -> None:
        with SmtpServer() as server, override_settings(**server.settings()):
            browser = Client()
            browser.get(f"/eyes/my/r/{links.issue_link(self.patient)}/")
            self.page(browser, "/eyes/my/code/", {})
        [message] = server.messages
        code = re.search(r"\b(\d{6})\b", message.get_body(("plain",)).get_content())
        assert code is not None
        response = browser.post("/eyes/my/", {"code": code.group(1)})
        self.assertEqual(response["Location"], "/eyes/my/reports/")
