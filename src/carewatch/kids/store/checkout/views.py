"""Checkout: details (contact, address, delivery), then the summary with the card form.

The card fields are marked sensitive so error reports never show them; the form
never writes them back into the page; only the gateway ever receives them.

A card that needs the bank's extra authentication goes through one more page, the
"test bank", which stands in for the bank's 3-D Secure challenge (test gateway and
localstripe only). The authorization waiting for it lives in the session; a reload, a
double click or a lost session all end on the order, or back on the payment page with
one sentence saying what happened.
"""

from __future__ import annotations

import secrets
import time
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from carewatch.kids.store.basket import baskets
from carewatch.kids.store.checkout.forms import CardForm, DetailsForm
from carewatch.kids.store.checkout.placing import (
    Checkout,
    CheckoutError,
    NeedsAuthentication,
    Pending,
    do_finish_authenticated,
    do_place_order,
    do_release,
)
from carewatch.kids.store.checkout.pricing import TIP_CHOICES, totals_for
from carewatch.kids.store.mailing.subscriptions import do_subscribe
from carewatch.kids.store.offers.views import COUPON_KEY, applied, basket_quote
from carewatch.kids.store.orders.access import can_view, remember_guest_order
from carewatch.kids.store.orders.models import Order
from carewatch.kids.store.payments.gateway import Card, Gateway, get_gateway
from carewatch.platform.accounts.models import User

DETAILS_KEY = "store_checkout_details"
NEWS_KEY = "store_checkout_news"
CHECKOUT_KEY = "store_checkout_key"
TIP_KEY = "store_checkout_tip"
PENDING_KEY = "store_checkout_pending"
ANSWERS = ("approve", "fail")


def gateway() -> Gateway:
    return get_gateway(settings.PAYMENT_GATEWAY)


def details(request: HttpRequest) -> HttpResponse:
    basket = baskets.basket_for(request)
    if basket is None or not basket.lines_with_products():
        messages.info(request, _("Your basket is empty. Add a tracker first."))
        return redirect("store:basket")
    form = DetailsForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | {"delivery_date": form.cleaned_data["delivery_date"].isoformat()}
        request.session[NEWS_KEY] = bool(data.pop("news", False))
        request.session[DETAILS_KEY] = data
        return redirect("store:pay")
    return render(request, "checkout/details.html", {"form": form})


def _initial(request: HttpRequest) -> dict[str, Any]:
    saved = request.session.get(DETAILS_KEY)
    if saved:
        return saved
    user = request.user
    if isinstance(user, User):
        return {"email": user.email, "name": user.get_full_name()}
    return {}


@sensitive_post_parameters("number", "cvc", "exp_month", "exp_year")
@sensitive_variables("card", "form")
def pay(request: HttpRequest) -> HttpResponse:
    basket = baskets.basket_for(request)
    saved = request.session.get(DETAILS_KEY)
    if basket is None or not basket.lines_with_products():
        messages.info(request, _("Your basket is empty. Add a tracker first."))
        return redirect("store:basket")
    if not saved:
        messages.info(request, _("Your session expired. Please enter the delivery details again."))
        return redirect("store:checkout")
    key = request.session.setdefault(CHECKOUT_KEY, secrets.token_hex(16))
    if "tip" in request.GET:
        request.session[TIP_KEY] = str(_tip(request.GET["tip"]))
    tip = _tip(request.session.get(TIP_KEY, "0"))
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        card = Card(data["number"], data["exp_month"], data["exp_year"], data["cvc"])
        details = saved | {"delivery_date": date.fromisoformat(saved["delivery_date"])}
        owner = request.user if request.user.is_authenticated else None
        _release_other_pending(request, key)
        try:
            checkout = Checkout(basket, details, key, owner, tip, applied(request))
            order = do_place_order(checkout, card, gateway())
        except NeedsAuthentication as needed:
            request.session[PENDING_KEY] = needed.pending.to_session()
            # Another try from the payment page is a new attempt with a new key.
            request.session[CHECKOUT_KEY] = secrets.token_hex(16)
            return redirect("store:authenticate")
        except CheckoutError as error:
            messages.error(request, str(error))
            if error.new_key:
                request.session[CHECKOUT_KEY] = secrets.token_hex(16)
            return redirect("store:pay")
        return _paid(request, order)
    return render(request, "checkout/pay.html", _summary(request, basket, saved, form, tip))


def _paid(request: HttpRequest, order: Order) -> HttpResponse:
    request.session.pop(CHECKOUT_KEY, None)
    request.session.pop(TIP_KEY, None)
    request.session.pop(PENDING_KEY, None)
    request.session.pop(COUPON_KEY, None)
    if request.session.pop(NEWS_KEY, False):
        do_subscribe(order.email, request.user, translation.get_language() or "")
    if order.owner_id is None:
        remember_guest_order(request, order)
    messages.success(request, _("Thank you! Your order is placed and paid."))
    return redirect(order)


def _release_other_pending(request: HttpRequest, key: str) -> None:
    """Paying again from the payment page abandons the bank's confirmation of an earlier try."""
    pending = Pending.from_session(request.session.get(PENDING_KEY))
    if pending is not None and pending.checkout_key != key:
        do_release(pending, gateway())
        request.session.pop(PENDING_KEY, None)


@require_http_methods(["GET", "POST"])
def authenticate(request: HttpRequest) -> HttpResponse:
    """The test bank's challenge: Approve or Fail, then the order or the payment page."""
    pending = Pending.from_session(request.session.get(PENDING_KEY))
    if request.method == "GET":
        if pending is None:
            return _nothing_pending(request)
        return render(request, "checkout/authenticate.html", {"pending": pending})
    posted = request.POST.get("checkout", "")
    if pending is None or pending.checkout_key != posted:
        return _answered_already(request, posted)
    answer = request.POST.get("answer", "")
    if answer not in ANSWERS:
        messages.error(request, _("Choose Approve or Fail."))
        return redirect("store:authenticate")
    basket = baskets.basket_for(request)
    saved = request.session.get(DETAILS_KEY)
    if basket is None or not saved:
        do_release(pending, gateway())
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Your session expired. Please enter the delivery details again."))
        return redirect("store:checkout")
    now = time.time()
    if not pending.expired(now):  # a late answer is not passed on; finishing releases it
        gateway().answer_as_test_bank(pending.reference, approve=answer == "approve")
    details = saved | {"delivery_date": date.fromisoformat(saved["delivery_date"])}
    owner = request.user if request.user.is_authenticated else None
    checkout = Checkout(basket, details, pending.checkout_key, owner, pending.tip, applied(request))
    try:
        order = do_finish_authenticated(checkout, pending, gateway(), now)
    except CheckoutError as error:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, str(error))
        return redirect("store:pay")
    return _paid(request, order)


def _answered_already(request: HttpRequest, checkout_key: str) -> HttpResponse:
    """A second click or a reload after the answer: show the order if it is this visitor's."""
    order = Order.objects.filter(checkout_key=checkout_key).first() if checkout_key else None
    if order is not None and can_view(request, order):
        messages.info(request, _("This payment is already complete."))
        return redirect(order)
    return _nothing_pending(request)


def _nothing_pending(request: HttpRequest) -> HttpResponse:
    messages.info(
        request,
        _("There is no payment waiting for your bank's confirmation. Check your basket and pay."),
    )
    return redirect("store:pay")


def _tip(value: str) -> Decimal:
    try:
        tip = Decimal(value)
    except InvalidOperation:
        return Decimal("0")
    return tip if tip in TIP_CHOICES else Decimal("0")


def _summary(
    request: HttpRequest,
    basket: baskets.Basket,
    saved: dict[str, Any],
    form: CardForm,
    tip: Decimal,
) -> dict[str, Any]:
    lines = basket.lines_with_products()
    quote, problem = basket_quote(request, lines)
    discount = quote.amount if quote else Decimal("0")
    totals = totals_for([(line.product.price, line.quantity) for line in lines], tip, discount)
    details = DetailsForm(initial=saved)
    slot = dict(details.fields["delivery_slot"].choices).get(saved["delivery_slot"], "")  # type: ignore[attr-defined]
    return {
        "lines": lines,
        "totals": totals,
        "details": saved,
        "slot": slot,
        "form": form,
        "delivery_date": date.fromisoformat(saved["delivery_date"]),
        "tip_choices": TIP_CHOICES,
        "coupon_code": applied(request),
        "coupon_quote": quote,
        "coupon_problem": problem,
    }
