"""Product questions: anyone asks with an e-mail address, staff answer, the answer is
e-mailed in the language of the question and published under the product."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from carewatch.kids.store.reviews.models import Question
from carewatch.platform.notify.models import Notification
from tests.base import with_authenticator
from tests.kids.store.base import StoreTestCase
from tests.mailbox import body_text, smtp_server

ASK = "/kids/shop/products/carewatch-junior-4g/questions/"
PAGE = "/kids/shop/products/carewatch-junior-4g/"
QUESTION = {"email": "ravi@example.org", "text": "Does it work without a SIM card?"}


class QuestionTests(StoreTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.staff = type(self.alice).objects.create_user(
            "shopstaff@example.org", "pw-staff-12345", is_staff=True, is_superuser=True
        )
        with_authenticator(self.staff)

    def ask(self, ip: str = "127.0.0.1", **changes: str) -> Any:
        return self.client.post(ASK, {**QUESTION, **changes}, REMOTE_ADDR=ip)

    def answer(self, question: Question, text: str = "It needs a nano SIM with data.") -> Any:
        self.login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(f"/kids/shop/staff/questions/{question.pk}/", {"answer": text})

    def test_anyone_asks_and_the_question_waits_unpublished_for_an_answer(self) -> None:
        response = self.ask()
        self.assertRedirects(response, f"{PAGE}#questions", fetch_redirect_response=False)
        question = Question.objects.get()
        self.assertEqual(
            (question.email, question.language, question.user), (QUESTION["email"], "en", None)
        )
        self.assertNotContains(self.client.get(PAGE), "without a SIM card")

    def test_staff_answer_e_mails_the_asker_and_publishes_the_question(self) -> None:
        self.ask()
        question = Question.objects.get()
        self.login(self.staff)
        self.assertContains(self.client.get("/kids/shop/staff/questions/"), "without a SIM card")
        with smtp_server() as mailbox:
            response = self.answer(question)
        self.assertRedirects(response, "/kids/shop/staff/questions/")
        (mail,) = mailbox.messages
        self.assertEqual(mail["To"], "ravi@example.org")
        self.assertEqual(mail["Subject"], "Your question about CareWatch Junior 4G is answered")
        self.assertIn("It needs a nano SIM with data.", body_text(mail))
        self.assertIn(f"{PAGE}#questions", body_text(mail))
        self.assertNotContains(self.client.get("/kids/shop/staff/questions/"), "SIM card")
        self.client.logout()
        page = self.client.get(PAGE)
        self.assertContains(page, "Does it work without a SIM card?")
        self.assertContains(page, "It needs a nano SIM with data.")
        self.assertNotContains(page, "ravi@example.org")

    def test_the_answer_goes_out_in_the_language_the_question_was_asked_in(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ta"
        self.ask()
        question = Question.objects.get()
        self.assertEqual(question.language, "ta")
        with smtp_server() as mailbox:
            self.answer(question, "ஆம், சிம் கார்டு தேவை.")
        html = mailbox.messages[0].get_body(preferencelist=("html",))
        assert html is not None
        self.assertIn('<html lang="ta">', html.get_content())

    def test_a_logged_in_asker_is_told_in_the_inbox_and_by_e_mail(self) -> None:
        self.login(self.alice)
        self.assertContains(self.client.get(PAGE), 'value="alice@example.org"')
        self.ask(email="alice@example.org")
        question = Question.objects.get()
        self.assertEqual(question.user, self.alice)
        with smtp_server() as mailbox:
            self.answer(question)
        notice = Notification.objects.get(channel__owner=self.alice)
        self.assertEqual(notice.event, "store.question_answered")
        self.assertEqual(notice.url, f"{PAGE}#questions")
        self.assertEqual([m["To"] for m in mailbox.messages], ["alice@example.org"])

    def test_editing_an_answer_does_not_e_mail_again(self) -> None:
        self.ask()
        question = Question.objects.get()
        with smtp_server() as mailbox:
            self.answer(question)
            response = self.answer(Question.objects.get(), "Yes: a nano SIM with 4G data.")
        self.assertEqual(len(mailbox.messages), 1)
        self.assertEqual(Question.objects.get().answer, "Yes: a nano SIM with 4G data.")
        self.assertRedirects(response, "/kids/shop/staff/questions/")

    def test_an_answer_written_in_the_admin_is_e_mailed_once(self) -> None:
        self.ask()
        self.login(self.staff)
        url = f"/admin/reviews/question/{Question.objects.get().pk}/change/"
        with smtp_server() as mailbox:
            for text in ["It needs a SIM.", "It needs a nano SIM."]:
                with self.captureOnCommitCallbacks(execute=True):
                    response = self.client.post(url, {"answer": text})
                self.assertEqual(response.status_code, 302)
        self.assertEqual(len(mailbox.messages), 1)
        self.assertEqual(Question.objects.get().answer, "It needs a nano SIM.")
        self.assertIsNotNone(Question.objects.get().answered_by)

    def test_a_question_without_an_e_mail_is_refused_with_a_sentence_and_kept(self) -> None:
        response = self.ask(email="")
        self.assertContains(
            response, "Enter your e-mail address so we can send you the answer.", status_code=400
        )
        self.assertContains(response, "Does it work without a SIM card?", status_code=400)
        response = self.ask(email="not-an-address")
        self.assertContains(response, "Enter a full e-mail address", status_code=400)
        self.assertFalse(Question.objects.exists())

    def test_an_overlong_question_is_refused_with_its_length(self) -> None:
        response = self.ask(text="Why? " * 150)
        self.assertContains(response, "under 500 characters", status_code=400)
        self.assertFalse(Question.objects.exists())

    def test_the_question_form_also_has_a_page_of_its_own(self) -> None:
        self.assertContains(self.client.get(ASK), "Your question")
        self.assertContains(self.client.get(PAGE), f'action="{ASK}"')

    def test_a_bot_that_fills_the_honeypot_is_thanked_and_ignored(self) -> None:
        response = self.ask(website="http://spam.example")
        self.assertRedirects(response, f"{PAGE}#questions", fetch_redirect_response=False)
        self.assertFalse(Question.objects.exists())

    def test_a_flood_from_one_address_is_refused_after_five_and_the_text_kept(self) -> None:
        for n in range(5):
            self.assertEqual(self.ask(email=f"p{n}@example.org", ip="10.0.0.7").status_code, 302)
        response = self.ask(email="p9@example.org", ip="10.0.0.7", text="Sixth question?")
        self.assertContains(response, "Please wait an hour", status_code=429)
        self.assertContains(response, "Sixth question?", status_code=429)
        self.assertEqual(Question.objects.count(), 5)
        self.assertEqual(self.ask(email="q@example.org", ip="10.0.0.8").status_code, 302)

    def test_a_flood_in_one_e_mail_from_many_addresses_is_refused_after_five(self) -> None:
        for n in range(5):
            self.ask(ip=f"10.0.1.{n}")
        response = self.ask(ip="10.0.1.99")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Question.objects.count(), 5)

    def test_html_in_a_question_and_its_answer_is_shown_as_text(self) -> None:
        self.ask(text="<img src=x onerror=alert(1)> battery?")
        self.answer(Question.objects.get(), "<script>alert(2)</script>")
        page = self.client.get(PAGE)
        self.assertNotContains(page, "<img src=x")
        self.assertNotContains(page, "<script>alert(2)")
        self.assertContains(page, "&lt;img src=x onerror=alert(1)&gt; battery?")

    def test_a_question_about_an_unlisted_product_gets_404(self) -> None:
        self.junior.is_active = False
        self.junior.save()
        self.assertEqual(self.ask().status_code, 404)
        self.assertEqual(self.client.post("/kids/shop/products/nope/questions/").status_code, 404)

    def test_only_shop_staff_open_the_question_pages(self) -> None:
        self.ask()
        question = Question.objects.get()
        pages = ["/kids/shop/staff/questions/", f"/kids/shop/staff/questions/{question.pk}/"]
        for user in [None, self.alice, self.charlie, self.doctor, self.outsider_staff]:
            self.client.logout()
            if user is not None:
                self.login(user)
            for url in pages:
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302, (user, url))
                self.assertIn("/login/", response["Location"])
            self.client.post(pages[1], {"answer": "Sneaky"})
        self.assertEqual(Question.objects.get().answer, "")
        self.login(self.staff)
        self.assertEqual(self.client.get(pages[1]).status_code, 200)
        self.assertEqual(self.client.get("/kids/shop/staff/questions/999999/").status_code, 404)
