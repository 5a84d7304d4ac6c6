"""An order stuck in a step: its status changed but the e-mail's task was lost (the queue
was down, a worker died). The sweep sends it, once; an old change is left alone."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.utils import timezone

from carewatch.kids.store.orders import tasks
from carewatch.kids.store.orders.actions import do_set_status
from carewatch.kids.store.orders.models import Order, OrderEvent
from tests.kids.store.base import StoreTestCase
from tests.mailbox import smtp_server


class StuckOrderTests(StoreTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.add_to_basket(self.junior)
        self.enter_details()
        with mock.patch.object(tasks, "order_email"), self.captureOnCommitCallbacks(execute=True):
            self.pay()  # the confirmation's task is lost
        self.order = Order.objects.get()

    def later(self, **delta: float) -> dt.datetime:
        return timezone.now() + dt.timedelta(**delta)

    def test_the_sweep_sends_a_lost_status_e_mail_once(self) -> None:
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(tasks.send_missed_emails(self.later(minutes=1)), 0, "too early")
            self.assertEqual(tasks.send_missed_emails(self.later(minutes=11)), 1)
            self.assertEqual(tasks.send_missed_emails(self.later(minutes=20)), 0)
        [message] = mailbox.messages
        self.assertIn(f"{self.order.number} is confirmed", str(message["Subject"]))

    def test_it_sends_only_the_e_mails_of_the_current_status(self) -> None:
        with mock.patch.object(tasks, "order_email"), self.captureOnCommitCallbacks(execute=True):
            do_set_status(self.order, "packed")
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(tasks.send_missed_emails(self.later(minutes=11)), 0)
        self.assertEqual(mailbox.messages, [])

    def test_it_leaves_a_change_of_long_ago_alone(self) -> None:
        OrderEvent.objects.update(created=timezone.now() - dt.timedelta(days=3))
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(tasks.send_missed_emails(), 0)
        self.assertEqual(mailbox.messages, [])
