"""Stripe's webhook: signed events about our PaymentIntents, each applied once.

Stripe signs every delivery with the endpoint's secret (the Stripe-Signature header);
an unsigned, wrongly signed or old delivery (older than the library's five-minute
tolerance, a replay) is refused with 400. A correctly signed event that was already
handled, or that is about a payment we do not know, is answered 200 so Stripe stops
retrying. Changes go through the order actions, so the pipeline, the timeline and the
customer's e-mails stay what they are for every other change.
"""

from __future__ import annotations

import logging
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from carewatch.kids.store.orders import pipeline
from carewatch.kids.store.orders.actions import do_cancel, do_set_status
from carewatch.kids.store.orders.models import Status
from carewatch.kids.store.payments.models import Payment, PaymentStatus, WebhookEvent

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe cannot send our CSRF token; the signature stands in for it
@require_POST
def receive(request: HttpRequest) -> HttpResponse:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:  # with no secret, anyone could sign: refuse rather than trust
        logger.error("A Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is not set.")
        return HttpResponseBadRequest("Webhooks are not configured.")
    try:
        event = stripe.Webhook.construct_event(
            request.body.decode("utf-8"), request.headers.get("Stripe-Signature"), secret
        )
    except (ValueError, UnicodeDecodeError):
        return HttpResponseBadRequest("The payload is not a Stripe event.")
    except stripe.SignatureVerificationError:
        logger.warning("A Stripe webhook with a bad or old signature was refused.")
        return HttpResponseBadRequest("The signature does not match.")
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(event_id=event.id, type=event.type)
            handle(event.type, event.data.object.to_dict())
    except IntegrityError:
        return HttpResponse("Already handled.")
    return HttpResponse("OK")


def handle(kind: str, obj: dict[str, Any]) -> None:
    """Applies one event to our payment and its order; unknown kinds are only recorded."""
    handler = HANDLERS.get(kind)
    if handler is None:
        logger.info("Stripe event %s is not one we act on.", kind)
        return
    intent = obj.get("payment_intent") if kind.startswith("charge.") else obj.get("id")
    payment = (
        Payment.objects.select_for_update()
        .select_related("order")
        .filter(gateway="stripe", reference=intent)
        .first()
    )
    if payment is None:  # e.g. an abandoned 3-D Secure try: no order was ever placed
        logger.info("Stripe event %s about %s, which has no order.", kind, intent)
        return
    handler(payment, obj)


def _succeeded(payment: Payment, obj: dict[str, Any]) -> None:
    """Captured at Stripe (normally by our own checkout, which already recorded it)."""
    if payment.status != PaymentStatus.AUTHORIZED:
        return
    payment.status = PaymentStatus.CAPTURED
    payment.save(update_fields=["status"])
    if pipeline.can_move(payment.order.status, Status.PAID):
        do_set_status(payment.order, Status.PAID)


def _released(payment: Payment, obj: dict[str, Any]) -> None:
    """The reservation is gone (cancelled, or the payment failed): nothing will be taken."""
    if payment.status != PaymentStatus.AUTHORIZED:
        return
    payment.status = PaymentStatus.VOIDED
    payment.save(update_fields=["status"])
    if pipeline.can_move(payment.order.status, Status.CANCELLED):
        do_cancel(payment.order)


def _refunded(payment: Payment, obj: dict[str, Any]) -> None:
    """A full refund made at Stripe (the dashboard, or our own do_refund, already recorded)."""
    if payment.status != PaymentStatus.CAPTURED or not obj.get("refunded"):
        return  # a partial refund leaves the order as it is
    payment.status = PaymentStatus.REFUNDED
    payment.save(update_fields=["status"])
    order = payment.order
    if not pipeline.can_move(order.status, Status.REFUNDED):
        if not pipeline.can_move(order.status, Status.CANCELLED):
            logger.warning("Order %s was refunded at Stripe while %s.", order, order.status)
            return
        do_cancel(order)  # not dispatched yet: back on the shelf
    do_set_status(order, Status.REFUNDED)


HANDLERS = {
    "payment_intent.succeeded": _succeeded,
    "payment_intent.payment_failed": _released,
    "payment_intent.canceled": _released,
    "charge.refunded": _refunded,
}
