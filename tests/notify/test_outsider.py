from __future__ import annotations

from django.urls import reverse

from carewatch.platform.notify.models import Channel
from tests.notify.helpers import NotifyTestCase

# Each page or action with the methods it accepts.
CHANNEL_URLS = {
    "channel": ["get"],
    "test_channel": ["post"],
    "enable_channel": ["post"],
    "disable_channel": ["post"],
    "delete_channel": ["get", "post"],
}


class OutsiderTests(NotifyTestCase):
    def test_another_users_channel_is_not_found_for_every_page_and_action(self) -> None:
        channel = self.channel("email", {"email": "alice@example.org"}, name="Alice's mail")
        for outsider in (self.charlie, self.bob):  # even a guardian of the same family
            self.login(outsider)
            for name, methods in CHANNEL_URLS.items():
                url = reverse(f"notify:{name}", args=[channel.pk])
                for method in methods:
                    with self.subTest(user=outsider.email, url=url, method=method):
                        self.assertEqual(getattr(self.client, method)(url).status_code, 404)
        channel.refresh_from_db()
        self.assertFalse(channel.disabled)
        self.assertFalse(channel.notifications.exists())

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        channel = self.channel("email", {"email": "alice@example.org"})
        for url in [
            reverse("notify:channels"),
            reverse("notify:add_push"),
            reverse("notify:channel", args=[channel.pk]),
        ]:
            with self.subTest(url=url):
                self.assertTrue(self.client.get(url)["Location"].startswith("/accounts/login/"))
        self.client.post(reverse("notify:delete_channel", args=[channel.pk]))
        self.assertTrue(Channel.objects.filter(pk=channel.pk).exists())
