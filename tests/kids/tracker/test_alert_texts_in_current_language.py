"""An alert in the inbox reads in the reader's language of today, not of the moment it
was sent: a parent who switches to Hindi reads yesterday's SOS in Hindi too."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from huey.contrib.djhuey import HUEY

from carewatch.kids.tracker.alerts import alert_guardians
from carewatch.kids.tracker.models import Event, EventKind
from carewatch.platform.notify.localized import reread
from carewatch.platform.notify.models import Notification
from tests.kids.tracker.base import TrackerTestCase


class AlertLanguageTests(TrackerTestCase):
    def setUp(self) -> None:
        super().setUp()
        was_immediate, HUEY.immediate = HUEY.immediate, True
        self.addCleanup(setattr, HUEY, "immediate", was_immediate)
        # A request in Hindi leaves Hindi active in this thread: not for the next test.
        self.addCleanup(translation.activate, settings.LANGUAGE_CODE)
        event = Event.objects.create(
            device=self.device,
            family=self.family,
            child=self.child,
            kind=EventKind.PLACE_EXIT,
            time=timezone.now(),
            place=self.school,
        )
        with self.captureOnCommitCallbacks(execute=True):
            alert_guardians(event)  # alice reads English today
        self.row = Notification.objects.get(channel__owner=self.alice, channel__kind="inbox")

    def test_the_stored_row_keeps_the_english_text_it_was_sent_with(self) -> None:
        self.assertEqual(self.row.subject, "Asha left School")

    def test_the_inbox_shows_it_in_the_language_the_reader_uses_now(self) -> None:
        self.alice.language = "hi"
        self.alice.save()
        self.login(self.alice)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
        page = self.client.get(reverse("notify:inbox"))
        self.assertContains(page, "Asha")
        self.assertNotContains(page, "Asha left School")
        self.assertContains(page, "Asha School से निकल गए")

    def test_a_row_without_its_message_or_with_a_broken_one_shows_what_was_stored(self) -> None:
        self.row.payload = {"i18n": {"subject": "%(nope)s", "text": 5, "values": []}}
        self.assertEqual(reread(self.row), (self.row.subject, self.row.text))
        self.row.payload = {}
        self.assertEqual(reread(self.row), (self.row.subject, self.row.text))
