"""The bank's extra authentication (3-D Secure) in checkout, with the test gateway's
card 4000 0025 0000 3155 and our "test bank" page: approve, fail, reload, double submit,
a lost session, and nothing ever charged twice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from unittest import mock

from django.test import override_settings

from carewatch.kids.store.basket.models import BasketLine
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.checkout.placing import PENDING_SECONDS
from carewatch.kids.store.orders.models import Order
from carewatch.kids.store.payments.gateway import Gateway, TestGateway
from carewatch.kids.store.payments.models import Payment
from tests.kids.store.base import StoreTestCase

CHALLENGE_CARD = "4000 0025 0000 3155"
STEP = "/kids/shop/checkout/authenticate/"
PAY = "/kids/shop/checkout/pay/"


class NoTestBankGateway(TestGateway):
    """The test gateway's answers without a stand-in bank, as with Stripe itself."""

    test_bank = False


class AuthenticationTests(StoreTestCase):
    def start(self, quantity: int = 1) -> dict[str, Any]:
        self.add_to_basket(self.junior, quantity)
        self.enter_details()
        response = self.pay(number=CHALLENGE_CARD)
        self.assertRedirects(response, STEP)
        return dict(self.client.session["store_checkout_pending"])

    def answer(self, pending: dict[str, Any], answer: str = "approve") -> Any:
        data = {"checkout": pending["checkout_key"], "answer": answer}
        return self.client.post(STEP, data, follow=True)

    def test_the_step_is_the_clearly_labelled_test_bank_and_reserves_nothing(self) -> None:
        pending = self.start()
        page = self.client.get(STEP)
        self.assertContains(page, "Test bank: confirm the payment")
        self.assertContains(page, "No real bank is asked and no real money moves.")
        self.assertContains(page, "₹5,499.00")
        self.assertContains(page, "visa •••• 3155")
        self.assertContains(page, 'value="approve"')
        self.assertContains(page, 'value="fail"')
        self.assertNotIn("4000002500003155", str(dict(self.client.session)))
        self.assertEqual(self.gateway.calls, [])
        self.assertFalse(Order.objects.exists())
        self.assertEqual(pending["amount"], "5499.00")

    def test_approving_places_the_order_and_takes_the_money_once(self) -> None:
        pending = self.start()
        response = self.answer(pending)
        order = Order.objects.get()
        self.assertRedirects(response, order.get_absolute_url())
        self.assertContains(response, "Your order is placed and paid.")
        self.assertEqual(order.status, "paid")
        self.assertEqual(order.payments.get().last4, "3155")
        self.assertEqual([c[0] for c in self.gateway.calls], ["authorize", "capture"])
        self.assertFalse(BasketLine.objects.exists())
        self.assertNotIn("store_checkout_pending", self.client.session)

    def test_failing_charges_nothing_keeps_the_basket_and_another_card_works(self) -> None:
        pending = self.start()
        response = self.answer(pending, "fail")
        self.assertRedirects(response, PAY)
        self.assertContains(
            response, "Your bank did not confirm the payment, so nothing was charged."
        )
        self.assertFalse(Order.objects.exists())
        self.assertEqual(BasketLine.objects.count(), 1)
        self.assertEqual(self.gateway.calls, [])
        self.pay()
        self.assertEqual(Order.objects.get().status, "paid")
        self.assertEqual([c[0] for c in self.gateway.calls], ["authorize", "capture"])

    def test_a_double_submitted_approval_places_one_order(self) -> None:
        pending = self.start()
        self.answer(pending)
        second = self.answer(pending)
        order = Order.objects.get()
        self.assertRedirects(second, order.get_absolute_url())
        self.assertContains(second, "This payment is already complete.")
        self.assertEqual(Payment.objects.count(), 1)
        self.assertEqual([c[0] for c in self.gateway.calls], ["authorize", "capture"])

    def test_the_other_click_of_a_double_click_still_pending_finds_the_order(self) -> None:
        pending = self.start()
        self.answer(pending)
        session = self.client.session  # as if both clicks read the session before either ended
        session["store_checkout_pending"] = pending
        session.save()
        second = self.answer(pending)
        self.assertRedirects(second, Order.objects.get().get_absolute_url())
        self.assertEqual(Payment.objects.count(), 1)
        self.assertEqual([c[0] for c in self.gateway.calls], ["authorize", "capture"])

    def test_a_double_clicked_pay_button_leads_to_one_bank_check_and_one_charge(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        key = self.client.get(PAY).wsgi_request.session["store_checkout_key"]
        self.pay(number=CHALLENGE_CARD)
        session = self.client.session
        session["store_checkout_key"] = key  # the second click carries the same page's key
        session.save()
        self.pay(number=CHALLENGE_CARD)
        pending = dict(self.client.session["store_checkout_pending"])
        self.assertEqual(len(self.gateway.authorizations), 1)  # the same authorization
        self.answer(pending)
        self.assertEqual(Payment.objects.count(), 1)
        self.assertEqual([c[0] for c in self.gateway.calls], ["authorize", "capture"])

    def test_reloading_the_step_shows_it_again_then_after_the_answer_says_so(self) -> None:
        pending = self.start()
        self.assertContains(self.client.get(STEP), "Test bank")
        self.assertContains(self.client.get(STEP), "Test bank")
        self.answer(pending, "fail")
        reload = self.client.get(STEP, follow=True)
        self.assertRedirects(reload, PAY)
        self.assertContains(reload, "There is no payment waiting for your bank")
        self.assertEqual(self.gateway.calls, [])

    def test_a_lost_session_asks_to_start_again_and_charges_nothing(self) -> None:
        pending = self.start()
        session = self.client.session
        del session["store_checkout_pending"]
        session.save()
        response = self.answer(pending)
        self.assertRedirects(response, PAY)
        self.assertContains(response, "There is no payment waiting")
        self.assertFalse(Order.objects.exists())
        self.assertEqual(self.gateway.calls, [])

    def test_lost_delivery_details_release_the_reservation(self) -> None:
        pending = self.start()
        session = self.client.session
        del session["store_checkout_details"]
        session.save()
        response = self.answer(pending)
        self.assertRedirects(response, "/kids/shop/checkout/")
        self.assertContains(response, "Your session expired.")
        self.assertTrue(self.gateway.authorizations[pending["reference"]].voided)
        self.assertFalse(Order.objects.exists())

    def test_an_answer_after_too_long_releases_and_says_pay_again(self) -> None:
        pending = self.start()
        session = self.client.session
        session["store_checkout_pending"] = pending | {
            "started": pending["started"] - PENDING_SECONDS - 1
        }
        session.save()
        response = self.answer(pending)
        self.assertContains(response, "confirmation took too long")
        self.assertFalse(Order.objects.exists())
        self.assertEqual([c[0] for c in self.gateway.calls], [])
        self.assertTrue(self.gateway.authorizations[pending["reference"]].voided)

    def test_a_basket_changed_during_the_check_releases_the_money(self) -> None:
        pending = self.start()
        Product.objects.filter(pk=self.junior.pk).update(price=Decimal("4999"))
        response = self.answer(pending)
        self.assertContains(response, "CareWatch Junior 4G now costs ₹4,999.00 (was ₹5,499.00)")
        self.assertFalse(Order.objects.exists())
        self.assertEqual([c[0] for c in self.gateway.calls], ["authorize", "void"])
        self.pay()  # the new total, with a new key
        self.assertEqual(Order.objects.get().total, Decimal("4999.00"))

    def test_out_of_stock_after_the_check_releases_the_money(self) -> None:
        pending = self.start(quantity=2)
        Product.objects.filter(pk=self.junior.pk).update(stock=1)
        response = self.answer(pending)
        self.assertContains(response, "Only 1 of CareWatch Junior 4G left.")
        self.assertEqual([c[0] for c in self.gateway.calls], ["authorize", "void"])
        self.assertEqual(Product.objects.get(pk=self.junior.pk).stock, 1)

    def test_paying_with_another_card_abandons_the_waiting_check(self) -> None:
        pending = self.start()
        self.client.get(PAY)  # the customer went back instead of answering
        self.pay()
        order = Order.objects.get()
        self.assertEqual(order.payments.get().last4, "4242")
        self.assertTrue(self.gateway.authorizations[pending["reference"]].voided)
        late = self.answer(pending)  # the old bank page, answered late
        self.assertContains(late, "There is no payment waiting")
        self.assertEqual(Payment.objects.count(), 1)
        self.assertEqual([c[0] for c in self.gateway.calls], ["authorize", "capture"])

    def test_an_answer_that_is_neither_approve_nor_fail_is_asked_again(self) -> None:
        pending = self.start()
        response = self.answer(pending, "maybe")
        self.assertRedirects(response, STEP)
        self.assertContains(response, "Choose Approve or Fail.")
        self.assertFalse(Order.objects.exists())

    def test_a_gateway_without_a_test_bank_refuses_the_card_clearly(self) -> None:
        gateway: Gateway = NoTestBankGateway()
        self.enterContext(override_settings(PAYMENT_GATEWAY="nobank"))
        self.enterContext(
            mock.patch.dict("carewatch.kids.store.payments.gateway._instances", {"nobank": gateway})
        )
        self.add_to_basket(self.junior)
        self.enter_details()
        response = self.pay(number=CHALLENGE_CARD)
        self.assertRedirects(response, PAY)
        self.assertContains(response, "Your bank wants to confirm this payment")
        self.assertFalse(Order.objects.exists())


class OutsiderTests(StoreTestCase):
    def test_another_visitor_cannot_answer_or_see_someone_elses_payment(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        self.pay(number=CHALLENGE_CARD)
        pending = dict(self.client.session["store_checkout_pending"])
        outsider = self.client_class()
        page = outsider.get(STEP, follow=True)
        self.assertRedirects(page, "/kids/shop/basket/")  # no basket, no pending payment
        data = {"checkout": pending["checkout_key"], "answer": "approve"}
        outsider.post(STEP, data)
        self.assertFalse(Order.objects.exists())
        self.client.post(STEP, data)  # the customer approves
        order = Order.objects.get()
        late = outsider.post(STEP, data, follow=True)
        self.assertNotContains(late, order.number)
        self.assertEqual(self.client.get(order.get_absolute_url()).status_code, 200)
        self.assertEqual(outsider.get(order.get_absolute_url()).status_code, 404)

    def test_a_logged_in_stranger_is_not_sent_to_the_order(self) -> None:
        self.login(self.alice)
        self.add_to_basket(self.junior)
        self.enter_details()
        self.pay(number=CHALLENGE_CARD)
        pending = dict(self.client.session["store_checkout_pending"])
        self.client.post(STEP, {"checkout": pending["checkout_key"], "answer": "approve"})
        order = Order.objects.get(owner=self.alice)
        stranger = self.client_class()
        stranger.force_login(self.charlie)
        response = stranger.post(STEP, {"checkout": pending["checkout_key"], "answer": "approve"})
        self.assertNotEqual(response.get("Location"), order.get_absolute_url())
        self.assertEqual(stranger.get(order.get_absolute_url()).status_code, 404)
