"""Checkout: details (contact, address, delivery), then the summary with the card form.

The card fields are marked sensitive so error reports never show them; the form
never writes them back into the page; only the gateway ever receives them.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from carewatch.kids.store.basket import baskets
from carewatch.kids.store.checkout.forms import CardForm, DetailsForm
from carewatch.kids.store.checkout.placing import Checkout, CheckoutError, do_place_order
from carewatch.kids.store.checkout.pricing import TIP_CHOICES, totals_for
from carewatch.kids.store.orders.views import remember_guest_order
from carewatch.kids.store.payments.gateway import Card, get_gateway

DETAILS_KEY = "store_checkout_details"
CHECKOUT_KEY = "store_checkout_key"
TIP_KEY = "store_checkout_tip"


def details(request: HttpRequest) -> HttpResponse:
    basket = baskets.basket_for(request)
    if basket is None or not basket.lines.exists():
        messages.info(request, _("Your basket is empty. Add a tracker first."))
        return redirect("store:basket")
    form = DetailsForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | {"delivery_date": form.cleaned_data["delivery_date"].isoformat()}
        request.session[DETAILS_KEY] = data
        return redirect("store:pay")
    return render(request, "checkout/details.html", {"form": form})


def _initial(request: HttpRequest) -> dict[str, Any]:
    saved = request.session.get(DETAILS_KEY)
    if saved:
        return saved
    user: Any = request.user
    if user.is_authenticated:
        return {"email": user.email, "name": user.get_full_name()}
    return {}


@sensitive_post_parameters("number", "cvc", "exp_month", "exp_year")
@sensitive_variables("card", "form")
def pay(request: HttpRequest) -> HttpResponse:
    basket = baskets.basket_for(request)
    saved = request.session.get(DETAILS_KEY)
    if basket is None or not basket.lines.exists():
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
        try:
            checkout = Checkout(basket, details, key, owner, tip)
            order = do_place_order(checkout, card, get_gateway())
        except CheckoutError as error:
            messages.error(request, str(error))
            if error.new_key:
                request.session[CHECKOUT_KEY] = secrets.token_hex(16)
            return redirect("store:pay")
        request.session.pop(CHECKOUT_KEY, None)
        request.session.pop(TIP_KEY, None)
        if owner is None:
            remember_guest_order(request, order)
        messages.success(request, _("Thank you! Your order is placed and paid."))
        return redirect(order)
    return render(request, "checkout/pay.html", _summary(basket, saved, form, tip))


def _tip(value: str) -> Decimal:
    try:
        tip = Decimal(value)
    except InvalidOperation:
        return Decimal("0")
    return tip if tip in TIP_CHOICES else Decimal("0")


def _summary(
    basket: baskets.Basket, saved: dict[str, Any], form: CardForm, tip: Decimal
) -> dict[str, Any]:
    lines = basket.lines_with_products()
    totals = totals_for([(line.product.price, line.quantity) for line in lines], tip)
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
    }
