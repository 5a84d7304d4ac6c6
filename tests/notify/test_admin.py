from __future__ import annotations

from django.urls import reverse

from carewatch.platform.notify.models import Attempt
from tests.base import with_authenticator
from tests.notify.helpers import NotifyTestCase


class AdminTests(NotifyTestCase):
    def test_staff_see_channels_notifications_and_read_only_attempts(self) -> None:
        admin = self.charlie
        admin.is_staff = admin.is_superuser = True
        admin.save()
        with_authenticator(admin)
        channel = self.channel("email", {"email": "alice@example.org"})
        row = channel.notifications.create(subject="Hello", text="Hi")
        attempt = Attempt.objects.create(notification=row, number=1, error="HTTP 503")
        self.login(admin)
        for name in ["channel", "notification", "attempt"]:
            with self.subTest(model=name):
                self.assertEqual(
                    self.client.get(reverse(f"admin:notify_{name}_changelist")).status_code, 200
                )
        self.assertContains(
            self.client.get(reverse("admin:notify_notification_change", args=[row.pk])), "HTTP 503"
        )
        self.assertEqual(self.client.get(reverse("admin:notify_attempt_add")).status_code, 403)
        response = self.client.post(
            reverse("admin:notify_attempt_change", args=[attempt.pk]), {"error": ""}
        )
        self.assertEqual(response.status_code, 403)
        attempt.refresh_from_db()
        self.assertEqual(attempt.error, "HTTP 503")
