"""Checkout from basket to a paid order, and each way it can go wrong without losing anything."""

from __future__ import annotations

from decimal import Decimal

from carewatch.kids.store.basket.models import BasketLine
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders.models import Order, OrderLine
from carewatch.kids.store.payments.models import Payment
from carewatch.kids.tracker.models import Device
from tests.kids.store.base import StoreTestCase


class CheckoutTests(StoreTestCase):
    def test_a_guest_buys_a_tracker_and_sees_the_paid_order(self) -> None:
        self.add_to_basket(self.junior)
        self.add_to_basket(self.strap, 2)
        self.enter_details()
        summary = self.client.get("/kids/shop/checkout/pay/")
        self.assertContains(summary, "₹6,297.00")  # 5499 + 2 x 399, free shipping
        self.assertContains(summary, "Includes GST (18%)")
        response = self.pay()
        order = Order.objects.get()
        self.assertRedirects(response, order.get_absolute_url())
        self.assertContains(response, "Your order is placed and paid.")
        self.assertEqual(order.status, "paid")
        self.assertEqual((order.total, order.shipping), (Decimal("6297.00"), Decimal("0")))
        self.assertEqual(order.owner, None)
        self.assertContains(response, "Create an account with the same e-mail")
        self.assertFalse(BasketLine.objects.exists())

    def test_the_order_decrements_stock_and_makes_an_unpaired_device_per_tracker(self) -> None:
        self.login(self.alice)
        self.add_to_basket(self.junior, 2)
        self.enter_details()
        response = self.pay()
        self.assertEqual(Product.objects.get(pk=self.junior.pk).stock, self.junior.stock - 2)
        lines = OrderLine.objects.filter(device__isnull=False)
        self.assertEqual(len(lines), 2)
        for line in lines:
            assert line.device is not None
            self.assertIsNone(line.device.family)
            self.assertTrue(line.device.pairing_code_matches(line.pairing_code))
            self.assertNotEqual(line.device.pairing_code_hash, line.pairing_code)
            self.assertContains(response, line.pairing_code)
        self.assertEqual(Order.objects.get().owner, self.alice)

    def test_a_declined_card_keeps_the_basket_and_charges_nothing(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        response = self.pay(number="4000 0000 0000 0002")
        self.assertRedirects(response, "/kids/shop/checkout/pay/")
        self.assertContains(response, "Your bank declined the card. Try another card")
        self.assertFalse(Order.objects.exists())
        self.assertEqual(BasketLine.objects.count(), 1)
        self.assertEqual(self.gateway.calls, [])
        self.pay()  # a good card next: the new attempt uses a new key and goes through
        self.assertEqual(Order.objects.get().status, "paid")

    def test_insufficient_funds_and_a_wrong_cvc_say_what_to_do(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        self.assertContains(self.pay(number="4000000000009995"), "insufficient funds")
        self.assertContains(self.pay(number="4000000000000127"), "security code (CVC) is wrong")
        self.assertFalse(Order.objects.exists())

    def test_an_invalid_card_is_refused_before_the_gateway_and_not_echoed(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        response = self.client.post(
            "/kids/shop/checkout/pay/", {**self._card("4242424242424241"), "cvc": "12"}
        )
        self.assertContains(response, "That card number is not valid")
        self.assertContains(response, "Enter the 3-digit code")
        self.assertNotContains(response, "4242424242424241")
        self.assertEqual(self.gateway.calls, [])

    def test_out_of_stock_at_confirmation_charges_nothing_and_keeps_the_basket(self) -> None:
        self.add_to_basket(self.junior, 2)
        self.enter_details()
        Product.objects.filter(pk=self.junior.pk).update(stock=1)
        response = self.pay()
        self.assertContains(response, "Only 1 of CareWatch Junior 4G left.")
        self.assertFalse(Order.objects.exists())
        self.assertEqual(BasketLine.objects.get().quantity, 2)
        self.assertEqual(Product.objects.get(pk=self.junior.pk).stock, 1)
        self.assertEqual(self.gateway.calls, [])

    def test_a_changed_price_is_shown_and_the_next_payment_uses_it(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        Product.objects.filter(pk=self.junior.pk).update(price=Decimal("4999"))
        response = self.pay()
        self.assertContains(response, "CareWatch Junior 4G now costs ₹4,999.00 (was ₹5,499.00)")
        self.assertFalse(Order.objects.exists())
        self.pay()
        self.assertEqual(Order.objects.get().total, Decimal("4999.00"))

    def test_a_double_clicked_pay_button_charges_once(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        key = self.client.get("/kids/shop/checkout/pay/").wsgi_request.session["store_checkout_key"]
        self.client.post("/kids/shop/checkout/pay/", self._card())
        session = self.client.session
        session["store_checkout_key"] = key  # the second click carries the same page's key
        session.save()
        self.add_to_basket(self.junior)
        second = self.client.post("/kids/shop/checkout/pay/", self._card(), follow=True)
        order = Order.objects.get()
        self.assertRedirects(second, order.get_absolute_url())
        self.assertEqual(Payment.objects.count(), 1)
        self.assertEqual([c[0] for c in self.gateway.calls], ["authorize", "capture"])
        self.assertEqual(Device.objects.count(), 1)

    def test_an_expired_session_asks_for_the_details_again(self) -> None:
        self.add_to_basket(self.junior)
        response = self.client.get("/kids/shop/checkout/pay/", follow=True)
        self.assertRedirects(response, "/kids/shop/checkout/")
        self.assertContains(response, "Your session expired.")

    def test_the_details_form_checks_the_mobile_number_and_pin_code(self) -> None:
        self.add_to_basket(self.junior)
        response = self.client.post("/kids/shop/checkout/", {"phone": "12345", "pincode": "0123"})
        self.assertContains(response, "Enter a 10-digit mobile number")
        self.assertContains(response, "A PIN code has 6 digits.")

    def _card(self, number: str = "4242424242424242") -> dict[str, str]:
        return {"number": number, "exp_month": "12", "exp_year": "30", "cvc": "987"}


class TipTests(StoreTestCase):
    def test_there_is_no_tip_unless_the_customer_picks_one(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        summary = self.client.get("/kids/shop/checkout/pay/")
        self.assertContains(summary, "Optional: a tip for the delivery person")
        self.assertContains(summary, 'value="0" checked')
        self.pay()
        order = Order.objects.get()
        self.assertEqual((order.tip, order.total), (Decimal("0"), Decimal("5499.00")))

    def test_a_chosen_tip_is_added_to_the_total_and_charged(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        summary = self.client.get("/kids/shop/checkout/pay/", {"tip": "50"})
        self.assertContains(summary, "Tip for the delivery person (optional)")
        self.assertContains(summary, "₹5,549.00")
        self.pay()
        order = Order.objects.get()
        self.assertEqual((order.tip, order.total), (Decimal("50.00"), Decimal("5549.00")))
        self.assertEqual(self.gateway.calls[0][2], Decimal("5549.00"))

    def test_an_amount_not_offered_counts_as_no_tip(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        self.client.get("/kids/shop/checkout/pay/", {"tip": "100000"})
        self.pay()
        self.assertEqual(Order.objects.get().tip, Decimal("0"))
