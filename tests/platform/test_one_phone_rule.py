"""One phone rule for the whole product: the checkout and the SMS channel form accept a
mobile number as people type it and store it the platform's way (E.164)."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from carewatch.kids.store.orders.models import Order
from carewatch.platform.notify.models import Channel
from tests.kids.store.base import StoreTestCase, details

SMS_ON = override_settings(SMS_API_URL="https://sms.example.org/v1", SMS_API_TOKEN="t")
TYPED = ["98765 43210", "+91 98765 43210", "098765-43210", "9876543210"]


class CheckoutPhoneTests(StoreTestCase):
    def test_checkout_accepts_a_mobile_number_typed_with_spaces_or_the_country_code(self) -> None:
        for typed in TYPED:
            with self.subTest(typed=typed):
                self.add_to_basket(self.junior)
                response = self.client.post("/kids/shop/checkout/", details(phone=typed))
                self.assertRedirects(response, "/kids/shop/checkout/pay/")
                stored = self.client.session["store_checkout_details"]["phone"]
                self.assertEqual(stored, "+919876543210")

    def test_the_order_keeps_the_number_in_the_platforms_form(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details(phone="+91 98765 43210")
        self.pay()
        self.assertEqual(Order.objects.get().phone, "+919876543210")

    def test_checkout_refuses_what_cannot_be_a_mobile_number_with_one_sentence(self) -> None:
        self.add_to_basket(self.junior)
        for hostile in ["12345", "5876543210", "+91 98765 4321O", "'; DROP TABLE x;--"]:
            with self.subTest(hostile=hostile):
                response = self.client.post("/kids/shop/checkout/", details(phone=hostile))
                self.assertContains(response, "Enter a 10-digit mobile number")


@SMS_ON
class SmsChannelPhoneTests(StoreTestCase):
    def test_the_sms_channel_form_accepts_the_same_numbers_as_the_checkout(self) -> None:
        self.login(self.alice)
        for typed in TYPED:
            with self.subTest(typed=typed):
                Channel.objects.filter(kind="sms").delete()
                self.client.post(reverse("notify:add_channel", args=["sms"]), {"phone": typed})
                channel = Channel.objects.get(kind="sms")
                self.assertEqual(channel.value, {"phone": "+919876543210"})

    def test_the_sms_channel_form_refuses_with_the_same_sentence(self) -> None:
        self.login(self.alice)
        url = reverse("notify:add_channel", args=["sms"])
        response = self.client.post(url, {"phone": "5876543210"})
        self.assertContains(response, "Enter a 10-digit mobile number", status_code=400)
