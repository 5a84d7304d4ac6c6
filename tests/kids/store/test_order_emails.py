"""The e-mails after the confirmation: dispatch, the reminder the day before, delivered,
"set up your tracker", the review request; each at most once per order and kind."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.utils import timezone

from carewatch.kids.store.orders.actions import do_reschedule, do_set_status, do_ship
from carewatch.kids.store.orders.models import Order, OrderEvent
from carewatch.kids.store.orders.tasks import send_reminders, send_review_requests
from carewatch.platform.notify import direct
from carewatch.platform.notify.models import Notification, Status
from carewatch.platform.notify.tasks import requeue_stuck
from tests.kids.store.base import StoreTestCase
from tests.mailbox import Mailbox, smtp_server


class OrderEmailTests(StoreTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.add_to_basket(self.junior)
        self.enter_details()
        self.pay()
        self.order = Order.objects.get()

    def subjects(self, mailbox: Mailbox) -> list[str]:
        return [str(message["Subject"]) for message in mailbox.messages]

    def ship(self) -> None:
        do_set_status(self.order, "packed")
        do_ship(self.order, "BlueDart", "BD777")

    def test_the_dispatch_e_mail_has_the_tracking_link(self) -> None:
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.ship()
        self.assertEqual(
            self.subjects(mailbox), [f"Your CareWatch order {self.order.number} is on its way"]
        )
        self.assertIn("trackNo=BD777", mailbox.texts()[0])
        self.assertIn("BlueDart", mailbox.texts()[0])

    def test_the_reminder_goes_the_day_before_once_and_again_for_a_new_date(self) -> None:
        self.ship()
        day_before = timezone.make_aware(
            dt.datetime.combine(self.order.delivery_date - dt.timedelta(days=1), dt.time(10))
        )
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(send_reminders(day_before - dt.timedelta(days=1)), 0)
            self.assertEqual(send_reminders(day_before), 1)
            self.assertEqual(send_reminders(day_before + dt.timedelta(hours=1)), 0)
            new_date = self.order.delivery_date + dt.timedelta(days=3)
            do_reschedule(self.order, new_date, "18-21")
            self.assertEqual(send_reminders(day_before + dt.timedelta(days=3)), 1)
        self.assertEqual(len(mailbox.messages), 2)
        self.assertIn("arrives tomorrow", self.subjects(mailbox)[0])
        self.assertIn("Evening, 18:00–21:00", mailbox.texts()[1])

    def test_delivery_sends_delivered_and_the_pairing_code_to_set_up_the_tracker(self) -> None:
        self.ship()
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            do_set_status(self.order, "delivered")
        subjects = self.subjects(mailbox)
        self.assertEqual(len(subjects), 2)
        self.assertIn("is delivered", subjects[0])
        self.assertIn("Set up your tracker", subjects[1])
        line = self.order.lines.get()
        self.assertIn(line.pairing_code, mailbox.texts()[1])
        assert line.device is not None
        self.assertIn(line.device.identifier, mailbox.texts()[1])

    def test_the_pairing_code_does_not_wait_in_the_row_but_is_in_the_mail(self) -> None:
        self.ship()
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            do_set_status(self.order, "delivered")
        code = self.order.lines.get().pairing_code
        row = Notification.objects.get(event="store.setup", channel=None)
        self.assertNotIn(code, row.text + row.html + str(row.payload))
        self.assertIn(code, mailbox.texts()[1])

    def test_the_review_request_goes_seven_days_after_delivery_once(self) -> None:
        self.ship()
        do_set_status(self.order, "delivered")
        delivered_at = OrderEvent.objects.get(order=self.order, status="delivered").created
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(send_review_requests(delivered_at + dt.timedelta(days=6)), 0)
            self.assertEqual(send_review_requests(delivered_at + dt.timedelta(days=7)), 1)
            self.assertEqual(send_review_requests(delivered_at + dt.timedelta(days=8)), 0)
        self.assertEqual(self.subjects(mailbox), ["How is your CareWatch? Tell other parents"])
        self.assertIn("/kids/shop/products/carewatch-junior-4g/", mailbox.texts()[0])

    def test_a_failed_send_waits_as_a_row_and_goes_once_the_server_is_back(self) -> None:
        self.ship()
        day_before = timezone.make_aware(
            dt.datetime.combine(self.order.delivery_date - dt.timedelta(days=1), dt.time(10))
        )
        with (
            mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("down")),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.assertEqual(send_reminders(day_before), 1)
        [row] = Notification.objects.filter(topic=direct.topic(self.order), event="store.reminder")
        self.assertEqual(row.status, Status.RETRYING)
        self.assertIn("could not be reached", row.error)
        Notification.objects.filter(pk=row.pk).update(
            next_try=timezone.now() - dt.timedelta(hours=1)
        )
        with smtp_server() as mailbox:
            self.assertEqual(send_reminders(day_before), 0, "claimed once: not queued again")
            requeue_stuck.call_local()
        self.assertEqual(len(mailbox.messages), 1)
        row.refresh_from_db()
        self.assertEqual(row.status, Status.SENT)
