"""The Stripe gateway against localstripe on 127.0.0.1: each money movement, the test
cards, idempotent retries, and whole checkouts with PAYMENT_GATEWAY=stripe.

localstripe declines only 4000 0000 0000 0341 at payment time and knows no insufficient
funds, expired card or wrong CVC answers; those mappings of Stripe's error codes are
tested directly on `outcome_for`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from unittest import mock

import pytest
from django.test import override_settings

from carewatch.kids.store.basket.models import BasketLine
from carewatch.kids.store.orders.actions import do_cancel, do_refund
from carewatch.kids.store.orders.models import Order
from carewatch.kids.store.payments.gateway import Card, Outcome
from carewatch.kids.store.payments.models import Payment
from carewatch.kids.store.payments.stripe_gateway import (
    StripeGateway,
    outcome_for,
    outcome_for_status,
    to_minor_units,
)
from tests.kids.store.base import StoreTestCase
from tests.kids.store.localstripe_server import SECRET_KEY, localstripe

AMOUNT = Decimal("5499.00")
APPROVED_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000341"  # localstripe's card declined when charged
CHALLENGE_CARD = "4000002500003155"


def card(number: str = APPROVED_CARD) -> Card:
    return Card(number, 12, 30, "123")


@pytest.fixture(scope="module")
def api_base() -> Iterator[str]:
    with localstripe() as base:
        yield base


@pytest.fixture
def gateway(api_base: str) -> StripeGateway:
    return StripeGateway(SECRET_KEY, api_base)


def test_it_reserves_captures_and_refunds_in_paise(gateway: StripeGateway) -> None:
    auth = gateway.authorize(AMOUNT, "INR", card(), "order-1:authorize")
    assert (auth.outcome, auth.brand, auth.last4) == (Outcome.APPROVED, "visa", "4242")
    assert auth.reference.startswith("pi_") and auth.token.startswith("pm_")
    intent = gateway.client.v1.payment_intents.retrieve(auth.reference)
    assert (intent.status, intent.amount, intent.currency) == ("requires_capture", 549900, "inr")
    assert intent.capture_method == "manual"
    assert gateway.capture(auth.reference, AMOUNT, "order-1:capture").ok
    assert gateway.client.v1.payment_intents.retrieve(auth.reference).status == "succeeded"
    assert gateway.refund(auth.reference, Decimal("1000"), "order-1:refund").ok
    refunds = gateway.client.v1.refunds.list({"payment_intent": auth.reference}).data
    assert [refund.amount for refund in refunds] == [100000]


def test_a_void_cancels_the_intent_and_it_can_no_longer_be_captured(
    gateway: StripeGateway,
) -> None:
    auth = gateway.authorize(AMOUNT, "INR", card(), "order-2:authorize")
    assert gateway.void(auth.reference, "order-2:void").ok
    assert gateway.client.v1.payment_intents.retrieve(auth.reference).status == "canceled"
    assert gateway.capture(auth.reference, AMOUNT, "order-2:capture").outcome == (
        Outcome.INVALID_REQUEST
    )


def test_a_declined_card_is_a_decline_and_reserves_nothing(gateway: StripeGateway) -> None:
    result = gateway.authorize(AMOUNT, "INR", card(DECLINED_CARD), "order-3:authorize")
    assert (result.outcome, result.last4, result.token) == (Outcome.DECLINED, "0341", "")


def test_the_same_key_gives_the_same_intent_and_one_charge(gateway: StripeGateway) -> None:
    charges_before = len(gateway.client.v1.charges.list({"limit": 100}).data)
    first = gateway.authorize(AMOUNT, "INR", card(), "order-4:authorize")
    again = gateway.authorize(AMOUNT, "INR", card(), "order-4:authorize")
    assert again == first
    assert gateway.capture(first.reference, AMOUNT, "order-4:capture").ok
    assert gateway.capture(first.reference, AMOUNT, "order-4:capture").ok  # a retry
    assert len(gateway.client.v1.charges.list({"limit": 100}).data) == charges_before + 1
    other = gateway.authorize(AMOUNT, "INR", card(), "order-5:authorize")
    assert other.reference != first.reference  # a new key is a new payment


def test_a_card_that_needs_the_bank_waits_for_its_answer(gateway: StripeGateway) -> None:
    auth = gateway.authorize(AMOUNT, "INR", card(CHALLENGE_CARD), "order-6:authorize")
    assert (auth.outcome, auth.token) == (Outcome.AUTHENTICATION_REQUIRED, "")
    assert gateway.confirm_authentication(auth.reference).outcome == (
        Outcome.AUTHENTICATION_REQUIRED
    )
    gateway.answer_as_test_bank(auth.reference, approve=True)
    confirmed = gateway.confirm_authentication(auth.reference)
    assert confirmed.ok and confirmed.token.startswith("pm_")
    gateway.answer_as_test_bank(auth.reference, approve=False)  # too late: the yes stands
    assert gateway.confirm_authentication(auth.reference).ok
    assert gateway.capture(auth.reference, AMOUNT, "order-6:capture").ok


def test_a_bank_that_says_no_is_a_failed_authentication(gateway: StripeGateway) -> None:
    auth = gateway.authorize(AMOUNT, "INR", card(CHALLENGE_CARD), "order-7:authorize")
    gateway.answer_as_test_bank(auth.reference, approve=False)
    assert gateway.confirm_authentication(auth.reference).outcome == (Outcome.AUTHENTICATION_FAILED)
    assert gateway.void(auth.reference, "order-7:void").ok


def test_an_unreachable_stripe_is_unavailable_not_a_decline() -> None:
    gateway = StripeGateway(SECRET_KEY, "http://127.0.0.1:9")  # the discard port: refused
    result = gateway.authorize(AMOUNT, "INR", card(), "order-8:authorize")
    assert result.outcome == Outcome.UNAVAILABLE


def test_only_a_stand_in_stripe_offers_the_test_bank() -> None:
    assert StripeGateway(SECRET_KEY, "http://127.0.0.1:8420").test_bank
    real = StripeGateway("sk_live_x")
    assert not real.test_bank
    with pytest.raises(NotImplementedError):
        real.answer_as_test_bank("pi_1", approve=True)


@pytest.mark.parametrize(
    ("code", "decline_code", "outcome"),
    [
        ("card_declined", "insufficient_funds", Outcome.INSUFFICIENT_FUNDS),
        ("card_declined", "generic_decline", Outcome.DECLINED),
        ("card_declined", "stolen_card", Outcome.DECLINED),
        ("card_declined", None, Outcome.DECLINED),
        ("expired_card", None, Outcome.EXPIRED_CARD),
        ("incorrect_cvc", None, Outcome.INCORRECT_CVC),
        ("card_declined", "authentication_required", Outcome.AUTHENTICATION_REQUIRED),
        ("payment_intent_authentication_failure", None, Outcome.AUTHENTICATION_FAILED),
        ("incorrect_number", None, Outcome.INVALID_REQUEST),
        (None, None, Outcome.INVALID_REQUEST),
    ],
)
def test_stripes_error_codes_become_our_outcomes(
    code: str | None, decline_code: str | None, outcome: Outcome
) -> None:
    assert outcome_for(code, decline_code) == outcome


def test_an_intents_status_becomes_our_outcome() -> None:
    assert outcome_for_status("requires_capture") == Outcome.APPROVED
    assert outcome_for_status("requires_action") == Outcome.AUTHENTICATION_REQUIRED
    assert outcome_for_status("requires_payment_method", "card_declined") == Outcome.DECLINED
    assert outcome_for_status("canceled") == Outcome.INVALID_REQUEST


def test_amounts_go_to_stripe_in_the_smallest_unit() -> None:
    assert to_minor_units(Decimal("5499.00")) == 549900
    assert to_minor_units(Decimal("0.125")) == 13


class StripeCheckoutTests(StoreTestCase):
    """Whole checkouts through the pages with PAYMENT_GATEWAY=stripe and localstripe."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.api_base = cls.enterClassContext(localstripe())

    def setUp(self) -> None:
        super().setUp()
        self.stripe = StripeGateway(SECRET_KEY, self.api_base)
        patcher = mock.patch.dict(
            "carewatch.kids.store.payments.gateway._instances", {"stripe": self.stripe}
        )
        patcher.start()
        self.addCleanup(patcher.stop)
        self.enterContext(override_settings(PAYMENT_GATEWAY="stripe"))

    def test_a_guest_pays_through_stripe_and_the_order_is_paid(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        response = self.pay()
        order = Order.objects.get()
        self.assertRedirects(response, order.get_absolute_url())
        self.assertContains(response, "Your order is placed and paid.")
        payment = Payment.objects.get()
        self.assertEqual(
            (order.status, payment.gateway, payment.status), ("paid", "stripe", "captured")
        )
        intent = self.stripe.client.v1.payment_intents.retrieve(payment.reference)
        self.assertEqual((intent.status, intent.amount), ("succeeded", 549900))
        self.assertEqual(payment.token, intent.payment_method)
        self.assertFalse(BasketLine.objects.exists())
        self.assertEqual(self.gateway.calls, [])  # the test gateway was never asked

    def test_a_declined_card_at_stripe_keeps_the_basket(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        response = self.pay(number=DECLINED_CARD)
        self.assertContains(response, "Your bank declined the card. Try another card")
        self.assertFalse(Order.objects.exists())
        self.assertEqual(BasketLine.objects.count(), 1)
        self.pay()
        self.assertEqual(Order.objects.get().status, "paid")

    def test_a_card_that_needs_the_bank_goes_through_the_test_bank(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        step = self.pay(number=CHALLENGE_CARD)
        self.assertRedirects(step, "/kids/shop/checkout/authenticate/")
        self.assertContains(step, "Test bank")
        pending = self.client.session["store_checkout_pending"]
        self.assertFalse(Order.objects.exists())
        response = self.client.post(
            "/kids/shop/checkout/authenticate/",
            {"checkout": pending["checkout_key"], "answer": "approve"},
            follow=True,
        )
        order = Order.objects.get()
        self.assertRedirects(response, order.get_absolute_url())
        self.assertEqual(order.payments.get().reference, pending["reference"])
        intent = self.stripe.client.v1.payment_intents.retrieve(pending["reference"])
        self.assertEqual(intent.status, "succeeded")

    def test_an_unreachable_stripe_says_try_again_and_the_retry_pays_once(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        key = self.client.get("/kids/shop/checkout/pay/").wsgi_request.session["store_checkout_key"]
        with mock.patch.dict(
            "carewatch.kids.store.payments.gateway._instances",
            {"stripe": StripeGateway(SECRET_KEY, "http://127.0.0.1:9")},
        ):
            response = self.pay()
        self.assertContains(response, "We could not reach the payment service.")
        self.assertFalse(Order.objects.exists())
        self.assertEqual(self.client.session["store_checkout_key"], key)  # safe to retry as is
        self.pay()
        self.assertEqual(Order.objects.get().status, "paid")

    def test_a_refund_by_staff_goes_back_through_stripe(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        self.pay()
        order = Order.objects.get()
        do_refund(do_cancel(order))
        payment = order.payments.get()
        self.assertEqual((order.status, payment.status), ("refunded", "refunded"))
        refunds = self.stripe.client.v1.refunds.list({"payment_intent": payment.reference}).data
        self.assertEqual([refund.amount for refund in refunds], [549900])
