"""Staff dispatch: pack, ship with a tracking number, reschedule, cancel and refund."""

from __future__ import annotations

from datetime import date

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders.models import Order
from carewatch.kids.store.payments.models import Payment
from tests.base import with_authenticator
from tests.kids.store.base import StoreTestCase


class DispatchTests(StoreTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.alice)
        self.add_to_basket(self.junior)
        self.enter_details()
        self.pay()
        self.order = Order.objects.get()
        self.staff = type(self.alice).objects.create_user(
            "staff@example.org", "pw-staff-12345", is_staff=True
        )
        with_authenticator(self.staff)
        self.login(self.staff)

    def advance(self, status: str, **data: str) -> None:
        url = f"/kids/shop/staff/dispatch/{self.order.number}/advance/"
        self.client.post(url, {"status": status, **data})

    def status(self) -> str:
        return Order.objects.get(pk=self.order.pk).status

    def test_staff_see_paid_orders_and_only_the_next_steps_the_pipeline_allows(self) -> None:
        self.assertContains(self.client.get("/kids/shop/staff/dispatch/"), self.order.number)
        page = self.client.get(f"/kids/shop/staff/dispatch/{self.order.number}/")
        self.assertEqual([s for s, _ in page.context["steps"]], ["packed", "cancelled"])

    def test_staff_pack_and_ship_with_carrier_and_tracking_number(self) -> None:
        self.advance("packed")
        self.advance("shipped")  # no tracking number: refused
        self.assertEqual(self.status(), "packed")
        self.advance("shipped", carrier="BlueDart", tracking_number="BD123456")
        order = Order.objects.get(pk=self.order.pk)
        self.assertEqual((order.status, order.tracking_number), ("shipped", "BD123456"))
        self.login(self.alice)
        self.assertContains(self.client.get(order.get_absolute_url()), "BlueDart BD123456")

    def test_a_status_the_pipeline_does_not_allow_is_refused_with_a_message(self) -> None:
        url = f"/kids/shop/staff/dispatch/{self.order.number}/advance/"
        response = self.client.post(url, {"status": "delivered"}, follow=True)
        self.assertContains(response, "cannot become Delivered")
        self.assertEqual(self.status(), "paid")

    def test_cancel_and_refund_restocks_and_refunds_once(self) -> None:
        stock = Product.objects.get(pk=self.junior.pk).stock
        self.advance("cancelled", confirm="yes")
        self.assertEqual(Product.objects.get(pk=self.junior.pk).stock, stock + 1)
        self.advance("refunded", confirm="yes")
        self.advance("refunded", confirm="yes")
        self.assertEqual(self.status(), "refunded")
        self.assertEqual(Payment.objects.get().status, "refunded")
        self.assertEqual([c[0] for c in self.gateway.calls].count("refund"), 1)

    def test_staff_change_the_delivery_date_and_slot(self) -> None:
        url = f"/kids/shop/staff/dispatch/{self.order.number}/reschedule/"
        self.client.post(url, {"delivery_date": "2026-12-01", "delivery_slot": "18-21"})
        order = Order.objects.get(pk=self.order.pk)
        self.assertEqual((order.delivery_date, order.delivery_slot), (date(2026, 12, 1), "18-21"))

    def test_customers_cannot_open_the_dispatch_screen(self) -> None:
        self.login(self.alice)
        response = self.client.get("/kids/shop/staff/dispatch/")
        self.assertEqual(response.status_code, 302)
        self.advance("packed")
        self.assertEqual(self.status(), "paid")
