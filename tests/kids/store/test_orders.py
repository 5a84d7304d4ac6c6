"""The customer's order page, its timeline, the status pipeline and the confirmation e-mail."""

from __future__ import annotations

from django.test import Client

from carewatch.kids.store.orders.actions import TransitionError, do_set_status
from carewatch.kids.store.orders.emails import send_confirmation
from carewatch.kids.store.orders.models import Order
from carewatch.kids.tracker.models import Child, Device
from carewatch.platform.notify.models import Channel, Notification
from tests.base import PASSWORD
from tests.kids.store.base import StoreTestCase
from tests.mailbox import smtp_server


class OrderTests(StoreTestCase):
    def buy(self) -> Order:
        self.add_to_basket(self.junior)
        self.enter_details()
        self.pay()
        return Order.objects.get()

    def test_the_owner_sees_the_timeline_and_the_pairing_code(self) -> None:
        self.login(self.alice)
        order = self.buy()
        response = self.client.get(order.get_absolute_url())
        self.assertContains(response, "Placed")
        self.assertContains(response, "Out for delivery")  # still to come
        self.assertContains(response, 'class="ahead"')
        self.assertContains(response, "Visa ending 4242")
        self.assertContains(response, order.lines.get().pairing_code)

    def test_another_user_gets_404_for_my_order(self) -> None:
        self.login(self.alice)
        order = self.buy()
        self.login(self.bob)  # even a member of the same family
        self.assertEqual(self.client.get(order.get_absolute_url()).status_code, 404)
        self.login(self.charlie)
        self.assertEqual(self.client.get(order.get_absolute_url()).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(order.get_absolute_url()).status_code, 404)

    def test_a_guest_order_is_visible_only_in_the_session_that_placed_it(self) -> None:
        order = self.buy()
        self.assertEqual(self.client.get(order.get_absolute_url()).status_code, 200)
        other_browser = Client()
        self.assertEqual(other_browser.get(order.get_absolute_url()).status_code, 404)
        other_browser.force_login(self.charlie)
        self.assertEqual(other_browser.get(order.get_absolute_url()).status_code, 404)

    def test_status_changes_follow_the_pipeline_and_appear_on_the_timeline(self) -> None:
        self.login(self.alice)
        order = self.buy()
        do_set_status(order, "packed")
        do_set_status(order, "shipped", note="BlueDart 1234")
        with self.assertRaises(TransitionError):
            do_set_status(order, "paid")
        response = self.client.get(order.get_absolute_url())
        self.assertContains(response, "BlueDart 1234")
        self.assertEqual(
            list(order.events.values_list("status", flat=True)),
            ["placed", "paid", "packed", "shipped"],
        )

    def test_a_guest_gets_the_confirmation_e_mail_once(self) -> None:
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            order = self.buy()
        self.assertEqual(len(mailbox.messages), 1)
        message = mailbox.messages[0]
        self.assertEqual(message["To"], "priya@example.org")
        self.assertIn(order.number, message["Subject"])
        self.assertIn("CareWatch Junior 4G", mailbox.texts()[0])
        with smtp_server() as again:
            self.assertFalse(send_confirmation(order.pk))
        self.assertEqual(again.messages, [])

    def test_a_customer_with_an_account_is_told_through_notify(self) -> None:
        self.login(self.alice)
        Channel.objects.create(owner=self.alice, kind="email", value={"email": self.alice.email})
        with self.captureOnCommitCallbacks(execute=True):
            order = self.buy()
        sent = Notification.objects.filter(event="store.confirmation")
        self.assertEqual({n.channel.kind for n in sent}, {"inbox", "email"})
        self.assertIn(order.number, sent[0].subject)
        self.assertEqual(list(order.emails.values_list("key", flat=True)), ["confirmation"])

    def test_my_orders_lists_only_mine(self) -> None:
        self.login(self.alice)
        order = self.buy()
        self.assertContains(self.client.get("/kids/shop/orders/"), order.number)
        self.login(self.charlie)
        self.assertNotContains(self.client.get("/kids/shop/orders/"), order.number)


class GuestOrderClaimTests(StoreTestCase):
    def test_a_guest_who_logs_in_with_the_order_e_mail_finds_the_order_in_the_account(
        self,
    ) -> None:
        self.add_to_basket(self.junior)
        self.enter_details(email="ALICE@example.org")
        self.pay()
        self.client.post("/accounts/login/", {"login": self.alice.email, "password": PASSWORD})
        order = Order.objects.get()
        self.assertEqual(order.owner, self.alice)
        self.assertContains(
            self.client.get(order.get_absolute_url()), order.lines.get().pairing_code
        )

    def test_a_guest_order_with_another_e_mail_stays_a_guest_order(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        self.pay()
        self.client.post("/accounts/login/", {"login": self.alice.email, "password": PASSWORD})
        self.assertIsNone(Order.objects.get().owner)


class PairingFromTheOrderTests(StoreTestCase):
    def test_the_customer_pairs_the_delivered_tracker_with_the_code_from_the_order(self) -> None:
        child = Child.objects.create(family=self.family, name="Anu")
        self.login(self.alice)
        self.add_to_basket(self.junior)
        self.enter_details()
        self.pay()
        order = Order.objects.get()
        for status in ("packed", "shipped", "delivered"):
            do_set_status(order, status)
        page = self.client.get(order.get_absolute_url())
        self.assertContains(page, "Pair your tracker with the code above")
        line = order.lines.get()
        assert line.device is not None
        response = self.client.post(
            f"/kids/tracker/family/{self.family.pk}/pair/",
            {"identifier": line.device.identifier, "code": line.pairing_code, "child": child.pk},
        )
        # Alice has only the inbox, so pairing asks her to add a channel next.
        self.assertRedirects(response, f"/kids/tracker/family/{self.family.pk}/reach/")
        device = Device.objects.get(pk=line.device.pk)
        self.assertEqual((device.family, device.child), (self.family, child))
