"""The chat panel and /assistant/: the plain form, fetch with JSON, consent, deleting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import override_settings
from django.utils import timezone

from carewatch.platform.assistant import conversations, replies
from carewatch.platform.assistant.models import Conversation, Turn
from tests.base import BaseTestCase

EMERGENCY = "My child is missing!"


class AssistantPagesTest(BaseTestCase):
    def ask(self, question: str, *, consent: bool = False, js: bool = False, **extra: Any) -> Any:
        data = {"question": question, "page": "/kids/tracker/family/1/map/"}
        if consent:
            data["consent"] = "on"
        headers = {"Accept": "application/json"} if js else {}
        return self.client.post("/assistant/", data, headers=headers, **extra)

    def test_every_page_carries_the_panel_with_a_labelled_field_and_the_page_path(self) -> None:
        page = self.client.get("/kids/")
        self.assertContains(page, 'action="/assistant/"')
        self.assertContains(page, '<label for="assistant-question">')
        self.assertContains(page, 'aria-live="polite"')
        self.assertContains(page, 'name="page" value="/kids/"')
        self.assertContains(page, 'type="checkbox" name="consent">')  # unchecked by default
        self.assertContains(page, "assistant/assistant.js")

    def test_without_javascript_the_form_renders_the_answer_page(self) -> None:
        page = self.ask(EMERGENCY)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, replies.EMERGENCY["en"])
        self.assertContains(page, 'href="tel:112"')
        self.assertContains(page, 'role="alert"')

    def test_the_answer_page_leads_back_to_the_page_only_on_this_site(self) -> None:
        self.assertContains(self.ask(EMERGENCY), 'href="/kids/tracker/family/1/map/"')
        page = self.client.post("/assistant/", {"question": EMERGENCY, "page": "javascript:x"})
        self.assertNotContains(page, 'href="javascript:')
        page = self.client.get("/assistant/?page=javascript:alert(1)")
        self.assertContains(page, 'name="page" value=""')

    def test_with_javascript_it_answers_json(self) -> None:
        data = self.ask(EMERGENCY, js=True).json()
        self.assertEqual(data["kind"], "emergency")
        self.assertEqual(data["question"], EMERGENCY)
        self.assertEqual(data["links"][0], {"label": "Call 112", "url": "tel:112"})

    def test_it_answers_in_the_language_of_the_page(self) -> None:
        self.client.cookies["django_language"] = "ta"
        data = self.ask("என் குழந்தையை காணவில்லை", js=True).json()
        self.assertEqual((data["kind"], data["lang"]), ("emergency", "ta"))
        self.assertEqual(data["answer"], replies.EMERGENCY["ta"])

    def test_nothing_is_stored_without_consent(self) -> None:
        self.ask(EMERGENCY)
        self.assertFalse(Conversation.objects.exists())
        self.assertEqual(len(self.client.session[conversations.SESSION_KEY]["turns"]), 1)

    def test_with_consent_the_conversation_is_stored_with_the_page(self) -> None:
        self.client.force_login(self.alice)
        self.ask(EMERGENCY, consent=True)
        self.ask("who won the cricket?", consent=True)
        conversation = Conversation.objects.get()
        self.assertEqual(conversation.user, self.alice)
        self.assertEqual(
            list(conversation.turns.values_list("kind", "page")),
            [
                ("emergency", "/kids/tracker/family/1/map/"),
                ("out_of_scope", "/kids/tracker/family/1/map/"),
            ],
        )

    def test_the_user_can_delete_their_conversation(self) -> None:
        self.ask(EMERGENCY, consent=True)
        page = self.client.post("/assistant/delete/")
        self.assertContains(page, "Conversation deleted")
        self.assertFalse(Conversation.objects.exists())
        self.assertFalse(Turn.objects.exists())
        self.assertNotContains(self.client.get("/assistant/"), EMERGENCY)

    def test_a_kept_conversation_is_found_again_when_signed_in_elsewhere(self) -> None:
        self.client.force_login(self.alice)
        self.ask(EMERGENCY, consent=True)
        elsewhere = self.client_class()
        elsewhere.force_login(self.alice)
        self.assertContains(elsewhere.get("/assistant/"), EMERGENCY)
        elsewhere.post("/assistant/delete/")
        self.assertFalse(Conversation.objects.exists())

    def test_an_unkept_conversation_is_not_found_elsewhere(self) -> None:
        self.client.force_login(self.alice)
        self.ask(EMERGENCY)
        elsewhere = self.client_class()
        elsewhere.force_login(self.alice)
        self.assertNotContains(elsewhere.get("/assistant/"), EMERGENCY)

    def test_an_outsider_never_sees_anothers_conversation(self) -> None:
        self.client.force_login(self.alice)
        self.ask("my daughter cannot be found, she is missing", consent=True)
        for outsider in (self.charlie, None):
            other = self.client_class()
            if outsider:
                other.force_login(outsider)
            page = other.get("/assistant/")
            self.assertNotContains(page, "my daughter cannot be found")
            other.post("/assistant/delete/")
        self.assertTrue(Conversation.objects.exists())  # their delete touched only their own

    def test_a_page_path_from_another_site_or_with_a_token_is_not_kept(self) -> None:
        self.client.post(
            "/assistant/",
            {"question": EMERGENCY, "page": "/eyes/my/r/AbC123dEf456gHi789/", "consent": "on"},
        )
        self.client.post("/assistant/", {"question": EMERGENCY, "page": "https://evil.example/x"})
        pages = [t["page"] for t in self.client.session[conversations.SESSION_KEY]["turns"]]
        self.assertEqual(pages, ["/eyes/my/r/…/", ""])
        self.assertEqual(Turn.objects.get().page, "/eyes/my/r/…/")

    def test_an_empty_question_is_refused_with_a_sentence(self) -> None:
        for question in ("", "   ", "\x00\x01"):
            self.assertEqual(self.ask(question).status_code, 400)
            response = self.ask(question, js=True)
            self.assertEqual(response.status_code, 400)
            self.assertEqual(response.json()["error"], "Type a question first.")

    def test_huge_or_strange_text_is_cut_and_cleaned_not_refused(self) -> None:
        data = self.ask("where is my child " + "x" * 3000 + "\x07\u202e", js=True).json()
        self.assertLessEqual(len(data["question"]), 500)
        self.assertNotIn("\x07", data["question"])
        self.assertEqual(self.ask("y" * 5000).status_code, 400)  # over the form's limit

    def test_the_conversation_is_never_cached(self) -> None:
        self.assertIn("no-store", self.ask(EMERGENCY)["Cache-Control"])
        self.assertIn("no-store", self.ask(EMERGENCY, js=True)["Cache-Control"])

    def test_only_get_and_post_are_allowed(self) -> None:
        self.assertEqual(self.client.put("/assistant/").status_code, 405)
        self.assertEqual(self.client.get("/assistant/delete/").status_code, 405)


class RetentionTest(BaseTestCase):
    def test_the_nightly_task_deletes_conversations_older_than_the_retention(self) -> None:
        from carewatch.platform.assistant.tasks import forget_old_conversations

        now = timezone.now()
        old = Conversation.objects.create(updated=now - timedelta(days=31))
        Turn.objects.create(conversation=old, question="q", kind="answer", answer="a")
        recent = Conversation.objects.create(updated=now - timedelta(days=29))
        forget_old_conversations.call_local()
        self.assertEqual(list(Conversation.objects.all()), [recent])
        self.assertFalse(Turn.objects.exists())

    @override_settings(ASSISTANT_RETENTION_DAYS=7)
    def test_the_retention_is_a_setting(self) -> None:
        Conversation.objects.create(updated=timezone.now() - timedelta(days=8))
        self.assertEqual(conversations.delete_expired(), 2 - 1)
