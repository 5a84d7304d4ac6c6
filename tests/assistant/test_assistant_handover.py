"""Talk to a person: the conversation goes to the support inbox with its page; staff answer;
the person reads the answer in the thread and gets it by e-mail."""

from __future__ import annotations

from django.core import mail

from carewatch.platform.assistant import replies
from carewatch.platform.assistant.models import Conversation
from carewatch.platform.support.models import Author, Kind, Thread
from tests.base import BaseTestCase

PAGE = "/kids/tracker/family/1/map/"


class HandoverTest(BaseTestCase):
    def ask(self, question: str, consent: bool = False) -> None:
        data = {"question": question, "page": PAGE} | ({"consent": "on"} if consent else {})
        self.client.post("/assistant/", data)

    def test_a_guest_is_asked_for_an_email_or_a_phone(self) -> None:
        self.ask("who won the cricket?")
        page = self.client.get("/assistant/person/")
        self.assertContains(page, 'name="email"')
        self.assertContains(page, 'name="phone"')
        page = self.client.post("/assistant/person/", {"note": "please help"})
        self.assertContains(page, "Give an e-mail address or a mobile number")
        self.assertFalse(Thread.objects.exists())

    def test_a_guests_conversation_goes_to_the_inbox_with_the_page(self) -> None:
        self.ask("who won the cricket?")
        response = self.client.post(
            "/assistant/person/", {"note": "I need a person", "email": "guest@example.org"}
        )
        thread = Thread.objects.get()
        self.assertEqual(
            (thread.kind, thread.email, thread.page), (Kind.HANDOVER, "guest@example.org", PAGE)
        )
        self.assertEqual(
            list(thread.messages.values_list("author", "text")),
            [
                (Author.USER, "who won the cricket?"),
                (Author.ASSISTANT, replies.OUT_OF_SCOPE["en"]),
                (Author.USER, "I need a person"),
            ],
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn("/support/c/", response["Location"])
        self.assertContains(self.client.get(response["Location"]), "who won the cricket?")

    def test_a_signed_in_user_hands_over_without_giving_an_address(self) -> None:
        self.client.force_login(self.alice)
        self.ask("talk to a person please", consent=True)
        page = self.client.get("/assistant/person/")
        self.assertNotContains(page, 'name="email"')
        response = self.client.post("/assistant/person/", {"note": ""})
        thread = Thread.objects.get()
        self.assertEqual(thread.user, self.alice)
        self.assertEqual(response["Location"], f"/support/threads/{thread.pk}/")
        self.assertEqual(Conversation.objects.get().support_thread_id, thread.pk)

    def test_a_second_hand_over_does_not_send_the_same_turns_again(self) -> None:
        self.client.force_login(self.alice)
        self.ask("first question")
        self.client.post("/assistant/person/", {"note": ""})
        self.client.post("/assistant/person/", {"note": "something else"})
        second = Thread.objects.order_by("pk").last()
        assert second is not None
        self.assertEqual(list(second.messages.values_list("text", flat=True)), ["something else"])

    def test_nothing_to_hand_over_asks_what_it_is_about(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.post("/assistant/person/", {"note": "  "})
        self.assertContains(page, "Write what you need help with.")
        self.assertFalse(Thread.objects.exists())

    def test_an_outsider_cannot_read_the_handed_over_thread(self) -> None:
        self.client.force_login(self.alice)
        self.ask("my question for a person")
        self.client.post("/assistant/person/", {"note": "hello"})
        thread = Thread.objects.get()
        other = self.client_class()
        other.force_login(self.charlie)
        self.assertIn(other.get(f"/support/threads/{thread.pk}/").status_code, (403, 404))
        anonymous = self.client_class()
        self.assertNotEqual(anonymous.get(f"/support/threads/{thread.pk}/").status_code, 200)

    def test_staff_answer_arrives_in_the_thread_and_by_email(self) -> None:
        self.ask("can someone call me about my order")
        self.client.post("/assistant/person/", {"note": "", "email": "guest@example.org"})
        thread = Thread.objects.get()
        staff = self.doctor  # has an authenticator app, as the staff inbox requires
        staff.is_staff = True
        staff.save()
        self.client.force_login(staff)
        with self.captureOnCommitCallbacks(execute=True):
            answered = self.client.post(
                f"/support/inbox/{thread.pk}/",
                {"action": "answer", "text": "We will call you today."},
            )
        self.assertEqual(answered.status_code, 302)
        self.client.logout()
        self.assertTrue(any("guest@example.org" in m.to for m in mail.outbox))
        self.assertIn("We will call you today.", mail.outbox[-1].body)
        from carewatch.platform.support.links import thread_path

        self.assertContains(self.client.get(thread_path(thread)), "We will call you today.")

    def test_hostile_notes_and_contacts_are_cleaned_or_refused_with_a_sentence(self) -> None:
        self.ask("who won the cricket?")
        page = self.client.post("/assistant/person/", {"note": "x" * 5000, "email": "a@b.org"})
        self.assertEqual(page.status_code, 200)
        self.assertFalse(Thread.objects.exists())
        page = self.client.post("/assistant/person/", {"note": "hi", "phone": "12"})
        self.assertContains(page, "not a mobile number")
        self.assertFalse(Thread.objects.exists())
        page = self.client.post("/assistant/person/", {"note": "a\x00b", "email": "a@b.org"})
        self.assertContains(page, "Null characters are not allowed.")
        self.client.post(
            "/assistant/person/", {"note": "call\x07 me\u202e please", "email": "a@b.org"}
        )
        last = Thread.objects.get().messages.last()
        self.assertEqual(last.text if last else "", "call me please")
