"""Named people for the support tests: shop staff (with an authenticator app), staff
without one, and threads opened the way the assistant and the shop open them."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from carewatch.platform.accounts.models import User
from carewatch.platform.support import actions
from carewatch.platform.support.models import Thread
from tests.base import BaseTestCase, with_authenticator

DOMAIN = "carewatch.example"
SECRET = "inbound-secret-for-tests-0123456789"


@override_settings(SUPPORT_REPLY_DOMAIN=DOMAIN, INBOUND_EMAIL_SECRET=SECRET)
class SupportTestCase(BaseTestCase):
    staff: User
    staff_without_mfa: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.staff = User.objects.create_user("help@example.org", "pw-staff-12345", is_staff=True)
        with_authenticator(cls.staff)
        cls.staff_without_mfa = User.objects.create_user(
            "nomfa@example.org", "pw-staff-12345", is_staff=True
        )

    def handover(self, **changes: Any) -> Thread:
        arguments: dict[str, Any] = {
            "user": None,
            "email": "ravi@example.org",
            "lang": "en",
            "page": "/kids/tracker/map/",
            "subject": "The watch shows no position",
            "messages": [
                ("user", "My watch shows no position on the map"),
                ("assistant", "Check that the SIM has data (help: kids/watch-setup)."),
                ("user", "I want to talk to a person"),
            ],
            **changes,
        }
        return actions.open_thread("handover", **arguments)

    def answer(self, thread: Thread, text: str = "Send SMS 'pw,123456,ts#' to the watch.") -> Any:
        self.login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                f"/support/inbox/{thread.pk}/", {"action": "answer", "text": text}
            )
