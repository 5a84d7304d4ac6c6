"""The customer's side of a support conversation: the signed-in owner's page, a guest's
signed link from the answer e-mail, writing back, deleting; everyone else is refused."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

from django.core import signing

from carewatch.platform.notify.models import Notification
from carewatch.platform.support import links
from carewatch.platform.support.models import Author, Status, Thread
from tests.mailbox import body_text, smtp_server
from tests.platform.support_base import SupportTestCase


class ThreadPageTests(SupportTestCase):
    def test_the_signed_in_owner_sees_the_whole_conversation_and_writes_back(self) -> None:
        thread = self.handover(user=self.alice, email="")
        self.answer(thread)
        self.login(self.alice)
        url = f"/support/threads/{thread.pk}/"
        response = self.client.get(url)
        self.assertContains(response, "I want to talk to a person")
        self.assertContains(response, "pw,123456,ts#")
        self.assertContains(self.client.get("/support/"), url)
        response = self.client.post(url, {"text": "Done, it works now. Thanks!"})
        self.assertRedirects(response, url)
        thread.refresh_from_db()
        self.assertEqual(thread.status, Status.OPEN)
        self.assertIsNotNone(thread.waiting_since)
        self.assertEqual(thread.messages.last().text, "Done, it works now. Thanks!")  # type: ignore[union-attr]

    def test_a_guest_opens_the_link_from_the_answer_e_mail_and_writes_back(self) -> None:
        thread = self.handover()
        with smtp_server() as mailbox:
            self.answer(thread)
        self.client.logout()
        path = re.search(r"/support/c/[^/\s]+/", body_text(mailbox.messages[0]))
        assert path is not None
        response = self.client.get(path.group())
        self.assertContains(response, "pw,123456,ts#")
        self.assertContains(response, "My watch shows no position")
        self.assertRedirects(self.client.post(path.group(), {"text": "Thanks!"}), path.group())
        self.assertEqual(thread.messages.filter(author=Author.USER).count(), 3)

    def test_other_families_anonymous_visitors_and_staff_pages_users_cannot_open_a_thread(
        self,
    ) -> None:
        thread = self.handover(user=self.alice, email="")
        url = f"/support/threads/{thread.pk}/"
        for user in [self.bob, self.charlie, self.doctor]:  # bob shares alice's family
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 404, user)
            self.assertEqual(self.client.post(url, {"text": "Hijack"}).status_code, 404)
            self.assertEqual(self.client.post(f"{url}delete/", {"confirm": "on"}).status_code, 404)
            self.assertNotContains(self.client.get("/support/"), url)
        self.client.logout()
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])
        self.assertEqual(thread.messages.count(), 3)
        self.assertTrue(Thread.objects.filter(pk=thread.pk).exists())

    def test_a_guest_link_cannot_be_forged_reused_for_an_account_s_thread_or_kept_forever(
        self,
    ) -> None:
        guest = self.handover()
        owned = self.handover(user=self.alice, email="")
        forged = signing.dumps(owned.pk, salt="another-salt")
        for token in [
            "nonsense",
            forged,
            links.guest_token(guest) + "x",
            signing.dumps(owned.pk, salt=links.GUEST_SALT),  # an account's thread: sign in
            signing.dumps("1 OR 1=1", salt=links.GUEST_SALT),
            "A" * 3000,
        ]:
            response = self.client.get(f"/support/c/{token}/")
            self.assertContains(response, "This conversation link is not valid", status_code=404)
            self.client.post(f"/support/c/{token}/", {"text": "Hijack"})
        self.assertFalse(Thread.objects.filter(messages__text="Hijack").exists())
        token = links.guest_token(guest)
        with mock.patch.object(links, "GUEST_MAX_AGE", timedelta(seconds=-1)):  # expired
            self.assertEqual(self.client.get(f"/support/c/{token}/").status_code, 404)
        self.assertEqual(self.client.get(f"/support/c/{token}/").status_code, 200)

    def test_an_empty_or_overlong_reply_is_refused_with_a_sentence_and_kept(self) -> None:
        thread = self.handover(user=self.alice, email="")
        self.login(self.alice)
        url = f"/support/threads/{thread.pk}/"
        self.assertContains(
            self.client.post(url, {"text": " "}), "Write your message first.", status_code=400
        )
        response = self.client.post(url, {"text": "Why? " * 900})
        self.assertContains(response, "under 4000 characters", status_code=400)
        self.assertContains(response, "Why? Why?", status_code=400)
        self.assertEqual(thread.messages.count(), 3)

    def test_a_flood_of_replies_in_one_thread_is_refused_after_ten_an_hour(self) -> None:
        thread = self.handover(user=self.alice, email="", messages=[("user", "Hello")])
        self.login(self.alice)
        url = f"/support/threads/{thread.pk}/"
        for n in range(9):
            self.assertEqual(self.client.post(url, {"text": f"Message {n}"}).status_code, 302)
        response = self.client.post(url, {"text": "One too many"})
        self.assertContains(response, "please wait for our answer", status_code=429)
        self.assertContains(response, "One too many", status_code=429)
        self.assertEqual(thread.messages.count(), 10)

    def test_direction_controls_in_a_reply_are_removed(self) -> None:
        thread = self.handover(user=self.alice, email="")
        self.login(self.alice)
        self.client.post(f"/support/threads/{thread.pk}/", {"text": "abc\u202edef"})
        self.assertEqual(thread.messages.last().text, "abcdef")  # type: ignore[union-attr]

    def test_the_owner_deletes_a_conversation_with_what_was_sent_about_it(self) -> None:
        thread = self.handover(user=self.alice, email="")
        self.answer(thread)
        self.assertTrue(Notification.objects.filter(topic=f"support.thread:{thread.pk}").exists())
        self.login(self.alice)
        url = f"/support/threads/{thread.pk}/delete/"
        response = self.client.post(url, {})
        self.assertContains(response, "Tick the box", status_code=400)
        self.assertRedirects(self.client.post(url, {"confirm": "on"}), "/support/")
        self.assertFalse(Thread.objects.filter(pk=thread.pk).exists())
        self.assertFalse(Notification.objects.filter(topic=f"support.thread:{thread.pk}").exists())

    def test_a_guest_deletes_a_conversation_through_the_signed_link(self) -> None:
        thread = self.handover()
        token = links.guest_token(thread)
        self.assertEqual(self.client.get(f"/support/c/{token}/delete/").status_code, 405)
        self.client.post(f"/support/c/{token}/delete/", {"confirm": "on"})
        self.assertFalse(Thread.objects.filter(pk=thread.pk).exists())
        self.assertEqual(self.client.get(f"/support/c/{token}/").status_code, 404)

    def test_conversation_pages_are_never_kept_by_a_browser_or_proxy_cache(self) -> None:
        thread = self.handover()
        response = self.client.get(links.thread_path(thread))
        self.assertIn("no-store", response["Cache-Control"])
