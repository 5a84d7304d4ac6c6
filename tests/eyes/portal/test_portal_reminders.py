"""Rescreen reminders: planned from the signed report's interval, sent once when due, re-planned
by an amendment, cancelled by a new visit, an erasure, or the patient's choice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from carewatch.eyes.portal import reminders
from carewatch.eyes.portal.models import Contact, PatientLink, Preferences, Reminder
from carewatch.eyes.screening.erasure import erase
from tests.eyes.helpers import make_visit
from tests.eyes.portal.helpers import RESULT_WORDS, PortalTestCase, sign
from tests.mailbox import body_text, smtp_server


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


class ReminderTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.visit = make_visit(self.patient, self.screener)
        self.visit.date = dt.date(2026, 11, 23)
        self.visit.save()

    def send(self, day: dt.date) -> list:
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            reminders.send_due(now=at(day))
        return mailbox.messages

    def test_it_plans_a_reminder_at_the_reports_interval_when_it_is_signed(self) -> None:
        self.announce(sign(self.visit, self.doctor, follow_up=12))
        reminder = Reminder.objects.get()
        self.assertEqual((reminder.due_on, reminder.months), (dt.date(2027, 11, 23), 12))

    def test_it_plans_nothing_for_a_referral(self) -> None:
        self.announce(sign(self.visit, self.doctor, follow_up=None))
        self.assertFalse(Reminder.objects.exists())

    def test_it_sends_the_reminder_once_on_its_day_with_the_centre_finder(self) -> None:
        self.announce(sign(self.visit, self.doctor))
        self.assertEqual(self.send(dt.date(2027, 11, 22)), [])
        [message] = self.send(dt.date(2027, 11, 23))
        text = body_text(message)
        self.assertEqual(message["To"], "meena@example.org")
        self.assertIn("http://127.0.0.1:8000/eyes/centres/", text)
        self.assertIn("Demo Centre", text)
        for word in [*RESULT_WORDS, self.patient.name]:
            self.assertNotIn(word.lower(), (message["Subject"] + text).lower())
        self.assertEqual(self.send(dt.date(2027, 11, 24)), [])
        self.assertIsNotNone(Reminder.objects.get().sent_at)

    def test_it_re_plans_when_an_amendment_changes_the_interval(self) -> None:
        self.announce(sign(self.visit, self.doctor, follow_up=12))
        self.announce(sign(self.visit, self.doctor, version=2, follow_up=6))
        pending = Reminder.objects.get(cancelled_at__isnull=True)
        self.assertEqual((pending.due_on, pending.report_version), (dt.date(2027, 5, 23), 2))
        self.assertEqual(len(self.send(dt.date(2027, 5, 23))), 1)
        self.assertEqual(self.send(dt.date(2027, 11, 23)), [])

    def test_it_cancels_the_reminder_when_an_amendment_refers_the_patient(self) -> None:
        self.announce(sign(self.visit, self.doctor, follow_up=12))
        self.announce(sign(self.visit, self.doctor, version=2, follow_up=None))
        self.assertEqual(self.send(dt.date(2027, 11, 23)), [])

    def test_it_cancels_the_reminder_when_the_patient_is_screened_again(self) -> None:
        self.announce(sign(self.visit, self.doctor))
        make_visit(self.patient, self.screener)
        self.assertEqual(Reminder.objects.get().cancel_reason, "screened again")
        self.assertEqual(self.send(dt.date(2027, 11, 23)), [])

    def test_it_forgets_the_reminder_and_the_link_when_the_patient_is_erased(self) -> None:
        self.announce(sign(self.visit, self.doctor))
        self.assertTrue(PatientLink.objects.exists())
        erase(self.patient)
        self.assertFalse(Reminder.objects.exists())
        self.assertFalse(PatientLink.objects.exists())
        self.assertEqual(self.send(dt.date(2027, 11, 23)), [])

    def test_it_sends_nothing_when_the_patient_turned_reminders_off(self) -> None:
        self.announce(sign(self.visit, self.doctor))
        Preferences.objects.create(patient=self.patient, contact_by=Contact.EMAIL, reminders=False)
        self.assertEqual(self.send(dt.date(2027, 11, 23)), [])
        self.assertEqual(Reminder.objects.get().cancel_reason, "turned off")

    def test_it_plans_nothing_from_an_old_visit_once_the_patient_was_screened_again(
        self,
    ) -> None:
        newer = make_visit(self.patient, self.screener)
        newer.date = dt.date(2027, 6, 1)
        newer.save()
        self.announce(sign(self.visit, self.doctor, version=1))
        self.assertFalse(Reminder.objects.exists())
