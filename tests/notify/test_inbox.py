from __future__ import annotations

from django.urls import reverse

from carewatch.platform.accounts.models import User
from carewatch.platform.notify import inbox, sending
from carewatch.platform.notify.models import Channel
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
