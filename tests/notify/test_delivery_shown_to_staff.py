""" "Was the patient told?": staff see the delivery state of the messages about a patient,
a booking and an order where they look at it, and only their own centre's."""

from __future__ import annotations

from django.urls import reverse

from carewatch.eyes.booking import notices
from carewatch.eyes.portal import links
from carewatch.kids.store.orders.models import Order
from carewatch.platform.notify.models import Notification, Status
from tests.base import BaseTestCase, with_authenticator
from tests.eyes.booking.helpers import in_days, make_booking, make_centre
from tests.eyes.helpers import make_patient
from tests.kids.store.base import StoreTestCase
from tests.mailbox import smtp_server
from tests.notify.servers import SmtpServer


class EyesStaffTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.patient = make_patient(cls.clinic, cls.screener)
        cls.patient.phone, cls.patient.email = "", "meena@example.org"
        cls.patient.save()
        cls.centre = make_centre(cls.clinic)

    def test_the_patient_page_shows_a_link_that_waits_for_the_mail_server(self) -> None:
        with SmtpServer() as down:
            pass  # stopped: nothing listens on its port any more
        with self.settings(**down.settings()), self.captureOnCommitCallbacks(execute=True):
            links.send_link(self.patient)
        self.login(self.screener)
        page = self.client.get(reverse("screening:patient", args=["demo-centre", self.patient.pk]))
        self.assertContains(page, "Messages sent")
        self.assertContains(page, "Your eye screening report from Demo Centre is ready")
        self.assertContains(page, "meena@example.org")
        self.assertContains(page, "Will try again")
        self.assertContains(page, "could not be reached")

    def test_the_day_list_says_whether_the_patient_was_told(self) -> None:
        booking = make_booking(self.centre, in_days(0, 19, 30), phone="")
        with smtp_server(), self.captureOnCommitCallbacks(execute=True):
            notices.confirmation(booking)
        self.login(self.screener)
        page = self.client.get(reverse("desk:day", args=["demo-centre"]))
        self.assertContains(page, "Patient told: Sent")

    def test_another_centre_does_not_see_the_patients_messages(self) -> None:
        with self.captureOnCommitCallbacks(execute=False):
            links.send_link(self.patient)
        self.login(self.outsider_staff)
        url = reverse("screening:patient", args=["demo-centre", self.patient.pk])
        self.assertIn(self.client.get(url).status_code, (403, 404))


class DispatchStaffTests(StoreTestCase):
    def test_the_dispatch_page_shows_the_order_e_mails_and_their_state(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        with smtp_server(), self.captureOnCommitCallbacks(execute=True):
            self.pay()
        order = Order.objects.get()
        staff = with_authenticator(
            type(self.alice).objects.create_user("staff@example.org", "pw-12345-x", is_staff=True)
        )
        self.login(staff)
        page = self.client.get(f"/kids/shop/staff/dispatch/{order.number}/")
        self.assertContains(page, f"Your CareWatch order {order.number} is confirmed")
        self.assertContains(page, "priya@example.org")
        row = Notification.objects.get(event="store.confirmation")
        self.assertEqual(row.status, Status.SENT)
        self.assertContains(page, "<strong>Sent</strong>", html=False)
