"""The private link and the one-time code: sent when a report is signed, no health data in the
message, a code that expires, counts wrong tries and is rationed, a 30-minute session."""

from __future__ import annotations

import datetime as dt
import re

from django.test import override_settings
from django.utils import timezone

from carewatch.eyes.portal import links
from carewatch.eyes.portal.models import OneTimeCode, PatientLink
from carewatch.eyes.screening.models import AuditEntry
from tests.eyes.helpers import make_visit
from tests.eyes.portal.helpers import RESULT_WORDS, PortalTestCase, sign
from tests.mailbox import body_text, smtp_server
from tests.notify.servers import HttpReceiver


class SignedReportMessageTests(PortalTestCase):
    def test_it_emails_a_private_link_naming_only_the_centre_when_a_report_is_signed(
        self,
    ) -> None:
        report = sign(make_visit(self.patient, self.screener), self.doctor)
        [message] = self.announce(report)
        self.assertEqual(message["To"], "meena@example.org")
        self.assertEqual(message["Subject"], "Your eye screening report from Demo Centre is ready")
        text = body_text(message)
        self.assertRegex(text, r"http://127\.0\.0\.1:8000/eyes/my/r/[\w-]{40,}/")
        for word in [*RESULT_WORDS, "diabet", self.patient.name, self.patient.number]:
            self.assertNotIn(word.lower(), (message["Subject"] + text).lower())

    def test_it_keeps_only_the_hash_of_the_token(self) -> None:
        [message] = self.announce(sign(make_visit(self.patient, self.screener), self.doctor))
        token = re.search(r"/eyes/my/r/([\w-]+)/", body_text(message))
        assert token is not None
        self.assertFalse(PatientLink.objects.filter(token_hash=token.group(1)).exists())
        self.assertIsNotNone(links.link_for_token(token.group(1)))

    def test_it_sends_the_link_by_sms_when_the_patient_prefers_their_phone(self) -> None:
        self.patient.phone = "+919800000001"
        self.patient.save()
        report = sign(make_visit(self.patient, self.screener), self.doctor)
        with (
            HttpReceiver() as provider,
            override_settings(SMS_API_URL=provider.url("/sms"), SMS_API_TOKEN="t"),
        ):
            self.assertEqual(self.announce(report), [])
        [request] = provider.requests
        self.assertEqual(request.json()["to"], "+919800000001")
        self.assertIn("/eyes/my/r/", request.json()["text"])

    def test_it_replaces_the_earlier_link_when_an_amendment_is_signed(self) -> None:
        visit = make_visit(self.patient, self.screener)
        [first] = self.announce(sign(visit, self.doctor))
        [second] = self.announce(sign(visit, self.doctor, version=2))
        old = re.search(r"/eyes/my/r/[\w-]+/", body_text(first))
        new = re.search(r"/eyes/my/r/[\w-]+/", body_text(second))
        assert old is not None and new is not None
        self.assertEqual(self.client.get(old.group(0)).status_code, 404)
        self.assertEqual(self.client.get(new.group(0)).status_code, 302)


class LinkTests(PortalTestCase):
    def test_it_says_the_same_for_an_unknown_and_an_expired_link(self) -> None:
        token = links.issue_link(self.patient, now=timezone.now() - dt.timedelta(days=91))
        expired = self.client.get(f"/eyes/my/r/{token}/")
        unknown = self.client.get("/eyes/my/r/no-such-token-at-all/")
        self.assertEqual(expired.status_code, 404)
        self.assertEqual(unknown.status_code, 404)
        self.assertContains(
            expired, "Ask your screening centre to send you a new link", status_code=404
        )
        self.assertEqual(main(expired.content), main(unknown.content))

    def test_it_takes_the_token_out_of_the_address_and_asks_for_a_code(self) -> None:
        response = self.open_link()
        self.assertRedirects(response, "/eyes/my/")
        self.assertContains(self.client.get("/eyes/my/"), "Send me a code")

    def test_it_tells_a_visitor_without_a_link_to_open_the_one_in_their_message(self) -> None:
        self.assertContains(self.client.get("/eyes/my/"), "open the private link in the message")


class CodeTests(PortalTestCase):
    def test_it_opens_the_patients_pages_with_the_right_code_and_audits_it(self) -> None:
        self.open_link()
        code = self.request_code()
        self.assertFalse(OneTimeCode.objects.filter(code_hash=code).exists())
        response = self.client.post("/eyes/my/", {"code": code}, REMOTE_ADDR="10.1.2.3")
        self.assertRedirects(response, "/eyes/my/reports/")
        entry = AuditEntry.objects.get(action="portal.login")
        self.assertEqual(
            (entry.who, entry.ip, entry.patient), ("patient P1", "10.1.2.3", self.patient)
        )

    def test_it_counts_down_wrong_tries_and_then_needs_a_new_code(self) -> None:
        self.open_link()
        code = self.request_code()
        wrong = "000000" if code != "000000" else "111111"
        response = self.client.post("/eyes/my/", {"code": wrong})
        self.assertContains(
            response, "That code is not right: check it and try again (4 tries left)."
        )
        for _ in range(4):
            response = self.client.post("/eyes/my/", {"code": wrong})
        self.assertContains(response, "that was the last try")
        response = self.client.post("/eyes/my/", {"code": code})
        self.assertContains(response, "This code can no longer be used")
        response = self.client.post("/eyes/my/", {"code": self.request_code()})
        self.assertRedirects(response, "/eyes/my/reports/")

    def test_it_refuses_a_code_older_than_ten_minutes(self) -> None:
        self.open_link()
        code = self.request_code()
        OneTimeCode.objects.update(created=timezone.now() - dt.timedelta(minutes=10, seconds=1))
        response = self.client.post("/eyes/my/", {"code": code})
        self.assertContains(response, "This code has expired (codes work for 10 minutes)")
        self.assertRedirects(self.client.get("/eyes/my/reports/"), "/eyes/my/")

    def test_it_refuses_a_code_a_second_time(self) -> None:
        code = self.enter_as()
        self.client.post("/eyes/my/leave/")
        response = self.client.post("/eyes/my/", {"code": code})
        self.assertContains(response, "This code can no longer be used")

    def test_it_sends_at_most_five_codes_an_hour(self) -> None:
        self.open_link()
        for _ in range(5):
            self.request_code()
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/eyes/my/code/", follow=True)
        self.assertEqual(mailbox.messages, [])
        self.assertContains(response, "You have asked for 5 codes in the last hour")

    def test_it_says_where_the_code_went_without_showing_the_whole_address(self) -> None:
        self.open_link()
        with smtp_server(), self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/eyes/my/code/", follow=True)
        self.assertContains(response, "We sent a 6-digit code to m…@example.org.")

    def test_it_says_what_to_do_when_the_centre_has_no_contact_for_the_patient(self) -> None:
        self.patient.email = ""
        self.patient.save()
        self.open_link()
        response = self.client.post("/eyes/my/code/", follow=True)
        self.assertContains(response, "ask them to add one")

    def test_it_sends_no_code_without_a_link(self) -> None:
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.client.post("/eyes/my/code/")
        self.assertEqual(mailbox.messages, [])


class SessionTests(PortalTestCase):
    def test_it_ends_the_patient_session_after_thirty_minutes(self) -> None:
        self.enter_as()
        self.assertEqual(self.client.get("/eyes/my/reports/").status_code, 200)
        session = self.client.session
        session[links.SESSION_UNTIL] = (timezone.now() - dt.timedelta(seconds=1)).isoformat()
        session.save()
        self.assertRedirects(self.client.get("/eyes/my/reports/"), "/eyes/my/")

    def test_it_ends_the_session_when_staff_send_a_new_link(self) -> None:
        self.enter_as()
        links.issue_link(self.patient)
        self.assertRedirects(self.client.get("/eyes/my/reports/"), "/eyes/my/")

    def test_it_ends_the_session_when_the_patient_leaves(self) -> None:
        self.enter_as()
        self.client.post("/eyes/my/leave/")
        self.assertRedirects(self.client.get("/eyes/my/reports/"), "/eyes/my/")


class ReissueTests(PortalTestCase):
    url = "/eyes/my/staff/demo-centre/patients/{}/link/"

    def test_it_lets_staff_send_a_new_link_from_the_patient_page(self) -> None:
        self.login(self.screener)
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url.format(self.patient.pk), follow=True)
        self.assertContains(response, "A new private link was sent to m…@example.org.")
        [message] = mailbox.messages
        self.assertIn("/eyes/my/r/", body_text(message))
        self.assertTrue(AuditEntry.objects.filter(action="portal.link", who=self.screener.email))
        self.assertEqual(PatientLink.objects.get().issued_by, self.screener)

    def test_it_offers_a_new_link_on_the_staff_patient_page(self) -> None:
        self.login(self.screener)
        response = self.client.get(f"/eyes/centre/demo-centre/patients/{self.patient.pk}/")
        self.assertContains(response, self.url.format(self.patient.pk))

    def test_it_refuses_a_new_link_to_staff_of_another_centre_and_to_outsiders(self) -> None:
        for user in (self.outsider_staff, self.charlie):
            self.login(user)
            self.assertEqual(self.client.post(self.url.format(self.patient.pk)).status_code, 404)
        self.assertFalse(PatientLink.objects.exists())

    def test_it_sends_anonymous_visitors_to_log_in_before_a_new_link(self) -> None:
        response = self.client.post(self.url.format(self.patient.pk))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])


def main(page: bytes) -> bytes:
    """The page's own content (the layout carries the path and a CSRF token)."""
    return page[page.index(b"<main") : page.index(b"</main>")]


class SigningJourneyTests(PortalTestCase):
    def test_it_sends_the_link_and_plans_the_reminder_when_a_doctor_signs_in_the_review_app(
        self,
    ) -> None:
        from carewatch.eyes.portal.models import Reminder
        from carewatch.eyes.review import signing
        from tests.eyes.factories.photos import graded_image

        visit = make_visit(self.patient, self.screener)
        for side in ("right", "left"):
            graded_image(visit, side, self.screener, grade=0)
        visit.refresh_status()
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            signing.sign(visit, {}, "", self.doctor)
        [message] = mailbox.messages
        self.assertIn("/eyes/my/r/", body_text(message))
        self.assertEqual(Reminder.objects.get(visit=visit).months, 12)
