"""The staff inbox: product questions and the assistant's hand-overs in one list, the
conversation with its page and language, answers that are stored and sent (a stored
Notification, an e-mail with a signed Reply-To, an SMS when there is only a phone),
and the response-time figures."""

from __future__ import annotations

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from carewatch.kids.store.catalogue.loader import load_catalogue
from carewatch.kids.store.reviews.models import Question
from carewatch.platform.notify.models import Notification
from carewatch.platform.support.models import Author, Message, Status, Thread
from tests.mailbox import body_text, smtp_server
from tests.notify.servers import HttpReceiver
from tests.platform.support_base import DOMAIN, SupportTestCase

INBOX = "/support/inbox/"


class InboxTests(SupportTestCase):
    def test_staff_see_questions_and_hand_overs_in_one_list_newest_waiting_first(self) -> None:
        load_catalogue()
        self.client.post(
            "/kids/shop/products/carewatch-junior-4g/questions/",
            {"email": "meera@example.org", "text": "Is the strap replaceable?"},
        )
        later = self.handover()
        self.login(self.staff)
        page = self.client.get(INBOX).content.decode()
        self.assertLess(page.index(later.subject), page.index("CareWatch Junior 4G"))
        self.assertIn("Product question", page)
        self.assertIn("From the help assistant", page)
        self.assertIn("I want to talk to a person", page)  # the customer's latest words
        only = self.client.get(INBOX, {"kind": "question"})
        self.assertNotContains(only, later.subject)
        self.assertContains(only, "CareWatch Junior 4G")

    def test_a_thread_shows_the_conversation_the_page_it_came_from_and_the_language(self) -> None:
        thread = self.handover(lang="ta")
        self.login(self.staff)
        response = self.client.get(f"{INBOX}{thread.pk}/")
        for words in [
            "My watch shows no position",
            "Check that the SIM has data",
            "Help assistant",
        ]:
            self.assertContains(response, words)
        self.assertContains(response, 'href="/kids/tracker/map/"')
        self.assertContains(response, "தமிழ் (ta)")

    def test_staff_answer_is_stored_notified_and_e_mailed_with_a_signed_reply_to(self) -> None:
        thread = self.handover()
        with smtp_server() as mailbox:
            response = self.answer(thread)
        self.assertRedirects(response, INBOX)
        thread.refresh_from_db()
        self.assertEqual(thread.status, Status.ANSWERED)
        self.assertIsNotNone(thread.first_answer_at)
        staff_message = thread.messages.get(author=Author.STAFF)
        self.assertEqual(staff_message.staff, self.staff)
        row = Notification.objects.get(topic=f"support.thread:{thread.pk}")
        self.assertEqual((row.kind, row.address, row.status), ("email", "ravi@example.org", "sent"))
        self.assertEqual(row.text, "")  # composed when sent: the guest link is never stored
        (mail,) = mailbox.messages
        self.assertEqual(mail["To"], "ravi@example.org")
        self.assertEqual(mail["Subject"], "CareWatch answered your message")
        self.assertRegex(
            mail["Reply-To"], rf"^reply\+{thread.pk}-[0-9a-z]+-[0-9a-f]{{24}}@{DOMAIN}$"
        )
        text = body_text(mail)
        self.assertIn("pw,123456,ts#", text)
        self.assertIn("I want to talk to a person", text)
        self.assertIn("/support/c/", text)

    def test_a_signed_in_user_is_told_in_the_app_and_by_e_mail(self) -> None:
        thread = self.handover(user=self.alice, email="")
        self.assertEqual(thread.email, "alice@example.org")
        with smtp_server() as mailbox:
            self.answer(thread)
        notice = Notification.objects.get(channel__owner=self.alice)
        self.assertEqual(
            (notice.event, notice.url), ("support.answered", f"/support/threads/{thread.pk}/")
        )
        self.assertIn("reply_to", notice.payload)
        self.assertEqual([m["To"] for m in mailbox.messages], ["alice@example.org"])
        self.assertIn(f"/support/threads/{thread.pk}/", body_text(mailbox.messages[0]))

    def test_a_thread_with_only_a_phone_is_answered_by_sms_with_its_link(self) -> None:
        thread = self.handover(email="", phone="98765 43210")
        self.assertEqual(thread.phone, "+919876543210")
        with (
            HttpReceiver() as provider,
            override_settings(SMS_API_URL=provider.url("/sms"), SMS_API_TOKEN="t"),
        ):
            self.answer(thread)
        row = Notification.objects.get(topic=f"support.thread:{thread.pk}")
        self.assertEqual((row.kind, row.address, row.status), ("sms", "+919876543210", "sent"))
        (request,) = provider.requests
        sms = request.json()
        self.assertEqual(sms["to"], "+919876543210")
        self.assertIn("pw,123456,ts#", sms["text"])
        self.assertIn("/support/c/", sms["text"])
        self.assertLessEqual(len(sms["text"]), 459)

    def test_the_answer_goes_out_in_the_thread_s_language(self) -> None:
        thread = self.handover(lang="hi")
        with smtp_server() as mailbox:
            self.answer(thread, "घड़ी को चार्ज करें।")
        html = mailbox.messages[0].get_body(preferencelist=("html",))
        assert html is not None
        self.assertIn('<html lang="hi">', html.get_content())

    def test_an_answer_in_the_inbox_publishes_a_product_question_once(self) -> None:
        load_catalogue()
        self.client.post(
            "/kids/shop/products/carewatch-junior-4g/questions/",
            {"email": "meera@example.org", "text": "Is the strap replaceable?"},
        )
        question = Question.objects.get()
        assert question.thread is not None
        with smtp_server() as mailbox:
            self.answer(question.thread, "Yes, any 20 mm strap.")
            self.answer(question.thread, "Also our soft strap.")
        question.refresh_from_db()
        self.assertEqual(question.answer, "Yes, any 20 mm strap.")
        self.assertEqual(len(mailbox.messages), 2)
        self.assertEqual(
            mailbox.messages[0]["Subject"], "Your question about CareWatch Junior 4G is answered"
        )
        self.client.logout()
        page = self.client.get("/kids/shop/products/carewatch-junior-4g/")
        self.assertContains(page, "Yes, any 20 mm strap.")
        self.assertNotContains(page, "Also our soft strap.")

    def test_staff_close_and_reopen_a_thread(self) -> None:
        thread = self.handover()
        self.login(self.staff)
        self.client.post(f"{INBOX}{thread.pk}/", {"action": "close"})
        thread.refresh_from_db()
        self.assertEqual((thread.status, thread.waiting_since), (Status.CLOSED, None))
        self.assertNotContains(self.client.get(INBOX), thread.subject)
        self.assertContains(self.client.get(INBOX, {"show": "closed"}), thread.subject)
        self.client.post(f"{INBOX}{thread.pk}/", {"action": "reopen"})
        thread.refresh_from_db()
        self.assertEqual(thread.status, Status.OPEN)

    def test_the_inbox_shows_response_times_and_the_oldest_wait(self) -> None:
        now = timezone.now()
        for hours in [1, 3]:
            thread = self.handover()
            Thread.objects.filter(pk=thread.pk).update(
                created=now - timedelta(days=2),
                first_answer_at=now - timedelta(days=2) + timedelta(hours=hours),
                status=Status.ANSWERED,
                waiting_since=None,
            )
        old = self.handover()
        Thread.objects.filter(pk=old.pk).update(waiting_since=now - timedelta(days=1, hours=2))
        self.login(self.staff)
        response = self.client.get(INBOX)
        self.assertContains(response, "1 conversation waiting")
        self.assertContains(response, "oldest waiting for 1 d 2 h")
        self.assertContains(response, "<td>2 h 0 min</td>")  # the median of 1 h and 3 h
        self.assertContains(response, "<td>3 h 0 min</td>")  # p90

    def test_an_empty_or_overlong_answer_is_refused_with_a_sentence_and_nothing_sent(self) -> None:
        thread = self.handover()
        response = self.answer(thread, "   ")
        self.assertContains(response, "Write the answer before sending it.", status_code=400)
        response = self.answer(thread, "x" * 4001)
        self.assertContains(response, "under 4000 characters", status_code=400)
        self.assertFalse(Message.objects.filter(author=Author.STAFF).exists())
        self.assertFalse(Notification.objects.exists())

    def test_html_in_a_conversation_is_shown_as_text_to_staff_and_customer(self) -> None:
        thread = self.handover(messages=[("user", "<script>alert(1)</script> help")])
        self.answer(thread, "<img src=x onerror=alert(2)>")
        response = self.client.get(f"{INBOX}{thread.pk}/")
        self.assertNotContains(response, "<script>alert(1)")
        self.assertNotContains(response, "<img src=x")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt; help")

    def test_only_staff_with_an_authenticator_open_the_inbox_or_answer(self) -> None:
        thread = self.handover()
        pages = [INBOX, f"{INBOX}{thread.pk}/"]
        for user in [None, self.alice, self.charlie, self.doctor, self.staff_without_mfa]:
            self.client.logout()
            if user is not None:
                self.login(user)
            for url in pages:
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302, (user, url))
                self.assertIn("/login/", response["Location"])
            self.client.post(pages[1], {"action": "answer", "text": "Sneaky"})
            self.client.post(pages[1], {"action": "close"})
        thread.refresh_from_db()
        self.assertEqual((thread.status, thread.messages.count()), (Status.OPEN, 3))
        self.login(self.staff)
        self.assertEqual(self.client.get(f"{INBOX}999999/").status_code, 404)

    def test_odd_filters_and_pages_fall_back_instead_of_failing(self) -> None:
        self.login(self.staff)
        for query in [{"kind": "x'--"}, {"show": "<b>"}, {"page": "-1"}, {"page": "9" * 30}]:
            self.assertEqual(self.client.get(INBOX, query).status_code, 200, query)
