from __future__ import annotations

import contextlib

from django.db import transaction
from django.urls import reverse

from carewatch.platform.accounts.models import User
from carewatch.platform.notify import inbox, sending
from carewatch.platform.notify.models import Attempt, Channel, Status
from tests.notify.helpers import NotifyTestCase


class InboxTests(NotifyTestCase):
    def tell(
        self, user: User, subject: str = "Aarav arrived at School", url: str = "/kids/"
    ) -> int:
        with self.captureOnCommitCallbacks(execute=True):
            [row] = sending.send(user, subject, "At 08:55.", url=url, kinds=["inbox"])
        return row.pk

    def test_it_gives_every_new_user_an_inbox_channel(self) -> None:
        user = User.objects.create_user("new@example.org", "pw")
        self.assertEqual(
            list(Channel.objects.filter(owner=user).values_list("kind", flat=True)), ["inbox"]
        )

    def test_it_counts_unread_messages(self) -> None:
        self.assertEqual(inbox.unread_count(self.alice), 0)
        first = self.tell(self.alice)
        self.tell(self.alice, "Low battery")
        self.tell(self.bob)
        self.assertEqual(inbox.unread_count(self.alice), 2)
        inbox.mark_read(self.alice, [first])
        self.assertEqual(inbox.unread_count(self.alice), 1)

    def test_it_counts_nothing_for_anonymous_visitors(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        self.assertEqual(inbox.unread_count(AnonymousUser()), 0)

    def test_it_lists_messages_and_shows_the_count_in_the_navigation(self) -> None:
        self.tell(self.alice, "Aarav arrived at <School>")
        self.login(self.alice)
        response = self.client.get(reverse("notify:inbox"))
        self.assertContains(response, "Aarav arrived at &lt;School&gt;")
        self.assertContains(response, "1 unread message")
        self.assertContains(response, '<span class="badge" id="inbox-badge">1</span>', html=False)

    def test_it_marks_a_message_read_with_and_without_htmx(self) -> None:
        first, second = self.tell(self.alice), self.tell(self.alice)
        self.login(self.alice)
        response = self.client.post(reverse("notify:mark_read", args=[first]))
        self.assertRedirects(response, reverse("notify:inbox"))
        response = self.client.post(
            reverse("notify:mark_read", args=[second]), headers={"HX-Request": "true"}
        )
        self.assertContains(response, f'id="message-{second}"')
        self.assertNotContains(response, "<html")
        self.assertEqual(inbox.unread_count(self.alice), 0)

    def test_it_marks_everything_read(self) -> None:
        self.tell(self.alice), self.tell(self.alice)
        self.login(self.alice)
        self.client.post(reverse("notify:mark_all_read"))
        self.assertEqual(inbox.unread_count(self.alice), 0)

    def test_opening_a_message_marks_it_read_and_follows_only_links_to_this_site(self) -> None:
        local, foreign = (
            self.tell(self.alice, url="/kids/"),
            self.tell(self.alice, url="https://evil.example/"),
        )
        self.login(self.alice)
        self.assertRedirects(
            self.client.get(reverse("notify:open", args=[local])),
            "/kids/",
            fetch_redirect_response=False,
        )
        self.assertRedirects(
            self.client.get(reverse("notify:open", args=[foreign])), reverse("notify:inbox")
        )
        self.assertEqual(inbox.unread_count(self.alice), 0)

    def test_it_serves_the_unread_count_fragment(self) -> None:
        self.tell(self.alice)
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("notify:unread")), ">1</span>")

    def test_an_outsider_cannot_read_or_mark_someone_elses_messages(self) -> None:
        message = self.tell(self.alice)
        self.login(self.charlie)
        self.assertEqual(
            self.client.post(reverse("notify:mark_read", args=[message])).status_code, 404
        )
        self.assertEqual(self.client.get(reverse("notify:open", args=[message])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("notify:inbox")), "Aarav")
        self.client.post(reverse("notify:mark_all_read"))
        self.assertEqual(inbox.unread_count(self.alice), 1)

    def test_it_asks_visitors_to_log_in(self) -> None:
        response = self.client.get(reverse("notify:inbox"))
        self.assertRedirects(
            response,
            f"/accounts/login/?next={reverse('notify:inbox')}",
            fetch_redirect_response=False,
        )


class InboxDeliveredWithItsTransactionTests(NotifyTestCase):
    """The inbox's row is the message: written as delivered, in the sender's transaction,
    with nothing left to run after the commit (an SOS shows in the app with its event)."""

    def test_an_inbox_message_is_sent_with_one_attempt_and_nothing_waits_for_the_commit(
        self,
    ) -> None:
        with self.captureOnCommitCallbacks(execute=False) as after_commit:
            [row] = sending.send(self.alice, "SOS from Aarav", "SOS", kinds=["inbox"])
        self.assertEqual(after_commit, [])
        row.refresh_from_db()
        self.assertEqual(row.status, Status.SENT)
        self.assertIsNotNone(row.sent_at)
        [attempt] = row.attempts.all()
        self.assertTrue(attempt.ok)
        self.assertEqual(attempt.finished, row.sent_at)
        self.assertEqual(inbox.unread_count(self.alice), 1)
        channel = Channel.objects.get(owner=self.alice, kind="inbox")
        self.assertEqual(channel.last_notified, row.sent_at)

    def test_other_channels_are_still_handed_to_the_queue_after_the_commit(self) -> None:
        Channel.objects.create(owner=self.alice, kind="email", value={"email": "a@example.org"})
        with self.captureOnCommitCallbacks(execute=False) as after_commit:
            rows = sending.send(self.alice, "SOS from Aarav", "SOS")
        by_kind = {row.kind: row for row in rows}
        self.assertEqual(by_kind["inbox"].status, Status.SENT)
        self.assertEqual(by_kind["email"].status, Status.PENDING)
        self.assertEqual(len(after_commit), 1)

    def test_a_rolled_back_transaction_leaves_no_message_in_the_inbox(self) -> None:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            sending.send(self.alice, "SOS from Aarav", "SOS", kinds=["inbox"])
            raise RuntimeError("the event was not written after all")
        self.assertEqual(inbox.unread_count(self.alice), 0)
        self.assertFalse(Attempt.objects.exists())

    def test_an_account_without_an_inbox_channel_gets_one_on_its_first_message(self) -> None:
        Channel.objects.filter(owner=self.bob, kind="inbox").delete()
        [row] = sending.send(self.bob, "SOS from Aarav", "SOS")
        self.assertEqual((row.kind, row.status), ("inbox", Status.SENT))

    def test_a_disabled_inbox_channel_is_not_written_to(self) -> None:
        Channel.objects.filter(owner=self.bob, kind="inbox").update(disabled=True)
        self.assertEqual(sending.send(self.bob, "SOS from Aarav", "SOS"), [])
