"""The reminder the day before: once per booking and time, in the patient's language,
tested by moving the clock (`send_reminders(now)`)."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone, translation

from carewatch.eyes.booking import actions
from carewatch.eyes.booking.models import Booking, Centre
from carewatch.eyes.booking.tasks import booking_reminders, send_reminders
from tests.base import BaseTestCase
from tests.eyes.booking.helpers import in_days, local, make_booking, make_centre
from tests.mailbox import smtp_server


class ReminderTests(BaseTestCase):
    centre: Centre

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.centre = make_centre(cls.clinic)

    def setUp(self) -> None:
        super().setUp()
        self.start = in_days(3, 10)
        self.booking = make_booking(self.centre, self.start, language="ta")
        actions.confirm(self.booking)  # reminders wait for it (test_booking_abuse.py)
        self.eve = self.start - dt.timedelta(hours=20)  # 14:00 the day before

    def run_at(self, now: dt.datetime) -> tuple[int, list[str]]:
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            sent = send_reminders(now)
        return sent, [str(m["Subject"]) for m in mailbox.messages]

    def test_it_reminds_the_day_before_in_the_patients_language(self) -> None:
        sent, subjects = self.run_at(self.eve)
        self.assertEqual(sent, 1)
        with translation.override("ta"):
            weekday = formats.date_format(timezone.localtime(self.start), "l")
        [subject] = subjects
        self.assertIn(weekday, subject)
        self.assertNotIn(self.start.strftime("%A"), subject)

    def test_it_reminds_only_once_however_often_the_task_runs(self) -> None:
        self.run_at(self.eve)
        self.assertEqual(self.run_at(self.eve + dt.timedelta(minutes=15)), (0, []))
        self.assertEqual(self.run_at(self.eve + dt.timedelta(hours=5)), (0, []))

    def test_it_does_not_remind_two_days_ahead_or_on_the_day(self) -> None:
        self.assertEqual(self.run_at(self.eve - dt.timedelta(days=1))[0], 0)
        self.assertEqual(self.run_at(self.start - dt.timedelta(hours=1))[0], 0)

    def test_it_reminds_from_just_after_midnight_the_day_before(self) -> None:
        midnight = local(timezone.localtime(self.start).date() - dt.timedelta(days=1), 0, 1)
        self.assertEqual(self.run_at(midnight)[0], 1)
        self.assertEqual(self.run_at(midnight - dt.timedelta(minutes=2))[0], 0)

    def test_it_does_not_remind_a_cancelled_booking(self) -> None:
        actions.cancel(self.booking)
        self.assertEqual(self.run_at(self.eve)[0], 0)

    def test_it_reminds_again_when_the_booking_moves_to_another_day(self) -> None:
        self.run_at(self.eve)
        later = in_days(5, 11)
        actions.move(self.booking, later)
        self.assertEqual(self.run_at(self.eve)[0], 0)
        sent, _subjects = self.run_at(later - dt.timedelta(hours=20))
        self.assertEqual(sent, 1)
        self.assertEqual(Booking.objects.get().reminded_for, later)

    def test_it_does_not_remind_a_booking_made_the_same_day_as_the_reminder(self) -> None:
        Booking.objects.filter(pk=self.booking.pk).update(created=self.eve - dt.timedelta(hours=1))
        self.assertEqual(self.run_at(self.eve)[0], 0)

    def test_it_runs_from_the_periodic_task_with_the_real_clock(self) -> None:
        tomorrow = make_booking(self.centre, in_days(1, 19, 30), email="ravi@example.org")
        actions.confirm(tomorrow)
        Booking.objects.filter(pk=tomorrow.pk).update(created=in_days(-2, 9))
        tomorrow.refresh_from_db()
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            booking_reminders.call_local()
        self.assertEqual([m["To"] for m in mailbox.messages], ["ravi@example.org"])
        tomorrow.refresh_from_db()
        self.assertEqual(tomorrow.reminded_for, tomorrow.start)
