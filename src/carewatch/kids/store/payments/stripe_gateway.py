"""The Stripe gateway: PaymentIntents with manual capture, through the official library.

authorize = a PaymentIntent created and confirmed with capture_method=manual (the money
is reserved); capture and refund take and give it back; void cancels the intent. Each
call sends an Idempotency-Key derived from our checkout or payment key, so a retry, a
lost response or a double click is answered by Stripe with the first result and moves
money once.

Card data: here the server sends the number and CVC to Stripe once, as a PaymentMethod,
and keeps only the brand, the last four digits and Stripe's ids; nothing is logged. That
server-side posting is for the test gateway and local runs against localstripe only. In
production the card is tokenised by Stripe.js in the browser (the number never reaches
our server) and the checkout would pass the resulting PaymentMethod id instead; the
3-D Secure challenge then runs in Stripe.js too (handleNextAction). Against Stripe
itself `test_bank` is False, so checkout refuses a card that needs the challenge with a
clear message instead of showing our stand-in page.

Amounts are in the smallest unit (paise for INR).
"""

from __future__ import annotations

import logging
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import stripe
from stripe.params import PaymentIntentCreateParams

from carewatch.kids.store.payments import cards
from carewatch.kids.store.payments.config import STRIPE_API
from carewatch.kids.store.payments.gateway import Card, Gateway, Outcome, Result

logger = logging.getLogger(__name__)


class HidePostedData(logging.Filter):
    """The stripe library logs every request's form data at DEBUG, card number and CVC
    included: those records never reach a handler. (Its STRIPE_LOG=debug mode prints the
    same to stderr past logging: never set it here.)"""

    def filter(self, record: logging.LogRecord) -> bool:
        return "post_data=" not in record.getMessage()


logging.getLogger("stripe").addFilter(HidePostedData())

# Stripe's error codes and decline codes, read most specific first (decline_code, code).
CODES = {
    "insufficient_funds": Outcome.INSUFFICIENT_FUNDS,
    "expired_card": Outcome.EXPIRED_CARD,
    "incorrect_cvc": Outcome.INCORRECT_CVC,
    "invalid_cvc": Outcome.INCORRECT_CVC,
    "authentication_required": Outcome.AUTHENTICATION_REQUIRED,
    "payment_intent_authentication_failure": Outcome.AUTHENTICATION_FAILED,
    "card_declined": Outcome.DECLINED,
    "generic_decline": Outcome.DECLINED,
    "do_not_honor": Outcome.DECLINED,
    "incorrect_number": Outcome.INVALID_REQUEST,
    "invalid_number": Outcome.INVALID_REQUEST,
    "invalid_expiry_year": Outcome.EXPIRED_CARD,
    "invalid_expiry_month": Outcome.EXPIRED_CARD,
}


def outcome_for(code: str | None, decline_code: str | None = None) -> Outcome:
    """Our outcome for a Stripe card error; an unknown decline is still a decline."""
    for value in (decline_code, code):
        if value in CODES:
            return CODES[value]
    return Outcome.DECLINED if code or decline_code else Outcome.INVALID_REQUEST


def outcome_for_status(status: str, error_code: str | None = None) -> Outcome:
    """Our outcome for a PaymentIntent's status after confirmation."""
    if status in ("requires_capture", "succeeded"):
        return Outcome.APPROVED
    if status == "requires_action":
        return Outcome.AUTHENTICATION_REQUIRED
    if status == "requires_payment_method" and error_code:
        return outcome_for(error_code)
    return Outcome.INVALID_REQUEST


def to_minor_units(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


class StripeGateway(Gateway):
    name = "stripe"

    def __init__(self, secret_key: str, api_base: str = STRIPE_API) -> None:
        self.api_base = api_base.rstrip("/")
        # Our stand-in bank page drives localstripe's test challenge; never Stripe itself.
        self.test_bank = self.api_base != STRIPE_API
        self.client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": self.api_base},
            # Retries reuse our idempotency key, so a retried request moves money once.
            max_network_retries=2,
        )

    @classmethod
    def from_settings(cls) -> StripeGateway:
        from django.conf import settings

        return cls(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)

    def authorize(self, amount: Decimal, currency: str, card: Card, key: str) -> Result:
        brand, last4 = card.brand, card.last4
        if to_minor_units(amount) <= 0 or not cards.luhn_valid(card.number):
            return Result(Outcome.INVALID_REQUEST, brand=brand, last4=last4)
        try:
            method = self.client.v1.payment_methods.create(
                {
                    "type": "card",
                    "card": {
                        "number": cards.digits(card.number),
                        "exp_month": card.exp_month,
                        "exp_year": cards.full_year(card.exp_year),
                        "cvc": card.cvc,
                    },
                },
                {"idempotency_key": f"{key}:method"},
            )
            params: PaymentIntentCreateParams = {
                "amount": to_minor_units(amount),
                "currency": currency.lower(),
                "payment_method": method.id,
                "capture_method": "manual",
                "confirm": True,
                "metadata": {"carewatch_key": key},
            }
            if not self.test_bank:
                # Stripe itself: card only, never a redirect (no return_url to come back
                # to). localstripe predates this parameter and refuses it.
                params["automatic_payment_methods"] = {"enabled": True, "allow_redirects": "never"}
            intent = self.client.v1.payment_intents.create(
                params,
                {"idempotency_key": key},
            )
        except stripe.CardError as error:
            return self._card_error(error, brand, last4)
        except stripe.StripeError as error:
            return self._failure("authorize", error, Result(Outcome.INVALID_REQUEST))
        outcome = outcome_for_status(intent.status, _error_code(intent))
        return Result(
            outcome, intent.id, method.id if outcome == Outcome.APPROVED else "", brand, last4
        )

    def capture(self, reference: str, amount: Decimal, key: str) -> Result:
        try:
            intent = self.client.v1.payment_intents.capture(
                reference, {"amount_to_capture": to_minor_units(amount)}, {"idempotency_key": key}
            )
        except stripe.StripeError as error:
            return self._failure("capture", error, Result(Outcome.INVALID_REQUEST, reference))
        ok = intent.status == "succeeded"
        return Result(Outcome.APPROVED if ok else Outcome.INVALID_REQUEST, reference)

    def refund(self, reference: str, amount: Decimal, key: str) -> Result:
        try:
            refund = self.client.v1.refunds.create(
                {"payment_intent": reference, "amount": to_minor_units(amount)},
                {"idempotency_key": key},
            )
        except stripe.StripeError as error:
            return self._failure("refund", error, Result(Outcome.INVALID_REQUEST, reference))
        ok = refund.status in ("succeeded", "pending")
        return Result(Outcome.APPROVED if ok else Outcome.INVALID_REQUEST, reference)

    def void(self, reference: str, key: str) -> Result:
        try:
            intent = self.client.v1.payment_intents.cancel(reference, {}, {"idempotency_key": key})
        except stripe.StripeError as error:
            return self._failure("void", error, Result(Outcome.INVALID_REQUEST, reference))
        ok = intent.status == "canceled"
        return Result(Outcome.APPROVED if ok else Outcome.INVALID_REQUEST, reference)

    def confirm_authentication(self, reference: str) -> Result:
        try:
            intent = self.client.v1.payment_intents.retrieve(reference)
        except stripe.StripeError as error:
            return self._failure("retrieve", error, Result(Outcome.INVALID_REQUEST, reference))
        outcome = outcome_for_status(intent.status, _error_code(intent))
        token = str(intent.payment_method or "") if outcome == Outcome.APPROVED else ""
        return Result(outcome, reference, token)

    def answer_as_test_bank(self, reference: str, approve: bool) -> None:
        """localstripe's stand-in for the 3-D Secure challenge (what its Stripe.js does)."""
        if not self.test_bank:
            raise NotImplementedError("Stripe itself has no test bank: use Stripe.js.")
        try:
            intent = self.client.v1.payment_intents.retrieve(reference)
            self.client.raw_request(
                "post",
                f"/v1/payment_intents/{reference}/_authenticate",
                client_secret=intent.client_secret,
                success="true" if approve else "false",
            )
        except stripe.StripeError as error:
            # Answered already (a reload, a double click): confirm_authentication tells.
            logger.info("Test bank answer for %s not taken: %s", reference, _describe(error))

    def _card_error(self, error: stripe.CardError, brand: str, last4: str) -> Result:
        body: Any = error.error
        decline_code = getattr(body, "decline_code", None)
        # A refused confirmation leaves the intent behind, holding nothing.
        reference = str(getattr(getattr(body, "payment_intent", None), "id", "") or "")
        outcome = outcome_for(error.code, decline_code)
        logger.info("Stripe refused the card: %s", _describe(error))
        return Result(outcome, reference, "", brand, last4)

    def _failure(self, action: str, error: stripe.StripeError, result: Result) -> Result:
        if isinstance(error, stripe.APIConnectionError | stripe.RateLimitError):
            logger.warning("Stripe %s could not be reached: %s", action, _describe(error))
            return Result(Outcome.UNAVAILABLE, result.reference)
        if isinstance(error, stripe.CardError):
            return Result(outcome_for(error.code), result.reference)
        logger.warning("Stripe %s failed: %s", action, _describe(error))
        return result


def _error_code(intent: Any) -> str | None:
    error = getattr(intent, "last_payment_error", None)
    return getattr(error, "code", None) if error else None


def _describe(error: stripe.StripeError) -> str:
    """The class, HTTP status and code only: Stripe's own text may quote what was sent."""
    return f"{type(error).__name__} {error.http_status} {error.code or ''}".strip()
