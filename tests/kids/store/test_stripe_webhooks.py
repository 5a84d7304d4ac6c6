"""Stripe's webhook: signatures checked as Stripe signs them (HMAC-SHA256 of
"timestamp.payload" with the endpoint's secret, computed here independently), each event
applied once, and the order moved through the usual pipeline."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from decimal import Decimal
from typing import Any
from unittest import mock

from django.test import LiveServerTestCase, override_settings
from huey.contrib.djhuey import HUEY

from carewatch.kids.store.catalogue.loader import load_catalogue
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders.models import Order, OrderEvent
from carewatch.kids.store.payments.gateway import Card
from carewatch.kids.store.payments.models import Payment, WebhookEvent
from carewatch.kids.store.payments.stripe_gateway import StripeGateway
from tests.kids.store.base import CVC, GOOD_CARD, StoreTestCase, card, details
from tests.kids.store.localstripe_server import SECRET_KEY, localstripe, register_webhook

SECRET = "whsec_test_carewatch"
URL = "/kids/shop/payments/stripe/webhook/"
INTENT = "pi_3TestIntent"


def signature(payload: str, secret: str = SECRET, timestamp: int | None = None) -> str:
    stamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


def event(kind: str, obj: dict[str, Any], event_id: str = "") -> str:
    return json.dumps(
        {
            "id": event_id or f"evt_{uuid.uuid4().hex[:16]}",
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": obj},
        }
    )


def intent(status: str = "requires_capture", intent_id: str = INTENT) -> dict[str, Any]:
    return {"id": intent_id, "object": "payment_intent", "status": status, "amount": 549900}


def charge(refunded: bool = True, amount_refunded: int = 549900) -> dict[str, Any]:
    return {
        "id": "ch_3TestCharge",
        "object": "charge",
        "payment_intent": INTENT,
        "amount": 549900,
        "amount_refunded": amount_refunded,
        "refunded": refunded,
    }


@override_settings(STRIPE_WEBHOOK_SECRET=SECRET)
class WebhookTests(StoreTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.add_to_basket(self.junior)
        self.enter_details()
        self.pay()
        self.order = Order.objects.get()
        # As if Stripe had taken this payment: the webhook only acts on Stripe's payments.
        Payment.objects.update(gateway="stripe", reference=INTENT)
        self.stock = Product.objects.get(pk=self.junior.pk).stock

    def post(self, payload: str, header: str | None = "") -> Any:
        headers = {} if header is None else {"HTTP_STRIPE_SIGNATURE": header or signature(payload)}
        return self.client.post(URL, payload, content_type="application/json", **headers)

    def authorized_only(self) -> None:
        """The order placed and the money reserved but not yet taken."""
        Order.objects.update(status="placed")
        Payment.objects.update(status="authorized")

    def state(self) -> tuple[str, str, int]:
        order = Order.objects.get()
        stock = Product.objects.get(pk=self.junior.pk).stock
        return order.status, order.payments.get().status, stock

    def test_a_signed_success_marks_a_reserved_payment_paid(self) -> None:
        self.authorized_only()
        response = self.post(event("payment_intent.succeeded", intent("succeeded")))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.state(), ("paid", "captured", self.stock))

    def test_a_success_our_checkout_already_recorded_changes_nothing(self) -> None:
        events = OrderEvent.objects.count()
        self.post(event("payment_intent.succeeded", intent("succeeded")))
        self.assertEqual(self.state(), ("paid", "captured", self.stock))
        self.assertEqual(OrderEvent.objects.count(), events)

    def test_a_wrong_signature_is_refused_and_changes_nothing(self) -> None:
        self.authorized_only()
        payload = event("payment_intent.succeeded", intent("succeeded"))
        response = self.post(payload, signature(payload, secret="whsec_someone_else"))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.state(), ("placed", "authorized", self.stock))
        self.assertFalse(WebhookEvent.objects.exists())

    def test_an_old_signature_is_refused_as_a_replay(self) -> None:
        self.authorized_only()
        payload = event("payment_intent.succeeded", intent("succeeded"))
        old = signature(payload, timestamp=int(time.time()) - 600)
        self.assertEqual(self.post(payload, old).status_code, 400)
        self.assertEqual(self.state(), ("placed", "authorized", self.stock))

    def test_a_missing_signature_or_a_changed_payload_is_refused(self) -> None:
        self.authorized_only()
        payload = event("payment_intent.succeeded", intent("succeeded"))
        self.assertEqual(self.post(payload, header=None).status_code, 400)
        forged = payload.replace(INTENT, "pi_someone_elses")
        self.assertEqual(self.post(forged, signature(payload)).status_code, 400)
        self.assertEqual(self.post("not json", signature("not json")).status_code, 400)
        self.assertFalse(WebhookEvent.objects.exists())

    def test_the_same_event_delivered_again_is_applied_once(self) -> None:
        self.authorized_only()
        payload = event("payment_intent.succeeded", intent("succeeded"), "evt_once")
        self.assertEqual(self.post(payload).status_code, 200)
        self.authorized_only()  # were the event applied again, this would be undone
        again = self.post(payload)  # Stripe retries with a fresh signature
        self.assertEqual(again.status_code, 200)
        self.assertContains(again, "Already handled.")
        self.assertEqual(self.state(), ("placed", "authorized", self.stock))
        self.assertEqual(WebhookEvent.objects.get().event_id, "evt_once")

    def test_an_unknown_event_type_is_acknowledged_and_ignored(self) -> None:
        payload = event("customer.created", {"id": "cus_1", "object": "customer"})
        self.assertEqual(self.post(payload).status_code, 200)
        self.assertEqual(self.state(), ("paid", "captured", self.stock))
        self.assertEqual(WebhookEvent.objects.get().type, "customer.created")

    def test_an_event_about_an_intent_without_an_order_is_acknowledged(self) -> None:
        payload = event("payment_intent.canceled", intent("canceled", "pi_abandoned"))
        self.assertEqual(self.post(payload).status_code, 200)
        self.assertEqual(self.state(), ("paid", "captured", self.stock))

    def test_a_cancelled_reservation_cancels_the_order_and_restocks(self) -> None:
        self.authorized_only()
        self.post(event("payment_intent.canceled", intent("canceled")))
        self.assertEqual(self.state(), ("cancelled", "voided", self.stock + 1))

    def test_a_failed_payment_releases_the_order_too(self) -> None:
        self.authorized_only()
        self.post(event("payment_intent.payment_failed", intent("requires_payment_method")))
        self.assertEqual(self.state(), ("cancelled", "voided", self.stock + 1))

    def test_a_full_refund_at_stripe_cancels_restocks_and_refunds_the_order(self) -> None:
        self.post(event("charge.refunded", charge()))
        self.assertEqual(self.state(), ("refunded", "refunded", self.stock + 1))
        statuses = list(self.order.events.values_list("status", flat=True))
        self.assertEqual(statuses, ["placed", "paid", "cancelled", "refunded"])

    def test_a_partial_refund_leaves_the_order_as_it_is(self) -> None:
        self.post(event("charge.refunded", charge(refunded=False, amount_refunded=100000)))
        self.assertEqual(self.state(), ("paid", "captured", self.stock))

    def test_a_refund_of_a_shipped_order_is_recorded_on_the_payment_only(self) -> None:
        Order.objects.update(status="shipped")
        self.post(event("charge.refunded", charge()))
        self.assertEqual(self.state(), ("shipped", "refunded", self.stock))

    @override_settings(STRIPE_WEBHOOK_SECRET="")
    def test_without_a_configured_secret_every_delivery_is_refused(self) -> None:
        self.authorized_only()
        payload = event("payment_intent.succeeded", intent("succeeded"))
        self.assertEqual(self.post(payload, signature(payload, secret="")).status_code, 400)
        self.assertEqual(self.state(), ("placed", "authorized", self.stock))

    def test_only_post_is_accepted(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 405)


@override_settings(STRIPE_WEBHOOK_SECRET=SECRET, PAYMENT_GATEWAY="stripe")
class LocalstripeDeliveryTests(LiveServerTestCase):
    """localstripe signs and posts its own events to our running endpoint over HTTP."""

    def setUp(self) -> None:
        load_catalogue()
        was_immediate, HUEY.immediate = HUEY.immediate, True
        self.addCleanup(setattr, HUEY, "immediate", was_immediate)
        self.api_base = self.enterContext(localstripe())
        self.stripe = StripeGateway(SECRET_KEY, self.api_base)
        self.enterContext(
            mock.patch.dict(
                "carewatch.kids.store.payments.gateway._instances", {"stripe": self.stripe}
            )
        )
        register_webhook(self.api_base, f"{self.live_server_url}{URL}", SECRET)

    def test_a_capture_at_stripe_reaches_us_signed_and_pays_the_order(self) -> None:
        junior = Product.objects.get(slug="carewatch-junior-4g")
        self.client.post(f"/kids/shop/basket/add/{junior.slug}/", {"quantity": 1})
        self.client.post("/kids/shop/checkout/", details())
        self.client.post("/kids/shop/checkout/pay/", card())
        # Now as if the money had only been reserved: a new intent, captured at Stripe.
        reserved = self.stripe.authorize(
            Decimal("5499.00"), "INR", Card(GOOD_CARD, 12, 30, CVC), "later:authorize"
        )
        Order.objects.update(status="placed")
        Payment.objects.update(status="authorized", reference=reserved.reference)
        self.assertTrue(self.stripe.capture(reserved.reference, Decimal("5499.00"), "later:c").ok)
        deadline = time.monotonic() + 15  # localstripe waits a second before it sends
        # The live server shares SQLite's in-memory connection, so an event's row can be
        # seen before its handler has finished: wait for the order's last step as well.
        while time.monotonic() < deadline and not (
            WebhookEvent.objects.count() >= 2 and Order.objects.filter(status="paid").exists()
        ):
            time.sleep(0.2)
        # One event for the checkout's own capture (nothing left to do), one for this one.
        kinds = set(WebhookEvent.objects.values_list("type", flat=True))
        self.assertEqual(kinds, {"payment_intent.succeeded"})
        self.assertEqual(WebhookEvent.objects.count(), 2)
        order = Order.objects.get()
        self.assertEqual((order.status, order.payments.get().status), ("paid", "captured"))
