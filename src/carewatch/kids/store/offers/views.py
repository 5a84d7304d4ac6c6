"""The coupon in the basket: apply (from the basket's form or a personal offer's "Apply"
in the profile) and remove. The applied code lives in the session; the basket and the
payment page price it again on every view and the payment checks it once more.

A flood of tries is cut off per session, per account and per address (the cache's atomic
increment), so codes cannot be found by trying many: they are 12 letters from 25 anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carewatch.kids.store.basket import baskets
from carewatch.kids.store.basket.models import BasketLine
from carewatch.kids.store.offers import coupons, rules
from carewatch.platform.web.templatetags.money import money

COUPON_KEY = "store_coupon"
DETAILS_KEY = "store_checkout_details"  # the checkout's saved details (their e-mail)
WINDOW = 15 * 60
# Tries per WINDOW: a person mistypes a few times; an address is shared by many phones.
TRIES = {"session": 10, "user": 10, "address": 30}
# Refusals that the basket, not the customer, can fix: the code is kept for later.
KEEP_FOR_LATER = {rules.Refusal.MINIMUM_NOT_REACHED, rules.Refusal.NOTHING_ELIGIBLE}


def applied(request: HttpRequest) -> str:
    return str(request.session.get(COUPON_KEY, ""))


def email_of(request: HttpRequest) -> str:
    saved = request.session.get(DETAILS_KEY) or {}
    return str(saved.get("email", "")) if isinstance(saved, dict) else ""


def basket_quote(
    request: HttpRequest, lines: Sequence[BasketLine]
) -> tuple[coupons.Quote | None, str]:
    """The applied coupon's discount on these lines, or why it gives none now."""
    code = applied(request)
    if not code or not lines:
        return None, ""
    try:
        return coupons.quote(code, lines, request.user, email_of(request)), ""
    except coupons.CouponRefused as refused:
        return None, str(refused)


def too_many_tries(request: HttpRequest) -> bool:
    if not request.session.session_key:
        request.session.save()
    keys = {
        "session": request.session.session_key,
        "user": request.user.pk if request.user.is_authenticated else None,
        "address": request.META.get("REMOTE_ADDR", ""),
    }
    over = False
    for kind, value in keys.items():
        if value:
            key = f"store:coupon:{kind}:{value}"
            cache.add(key, 0, timeout=WINDOW)
            over = cache.incr(key) > TRIES[kind] or over
    return over


@require_POST
def apply(request: HttpRequest) -> HttpResponse:
    if too_many_tries(request):
        messages.error(
            request,
            _("Too many coupon codes were tried. Wait 15 minutes, then try your code again."),
        )
        return redirect("store:basket")
    code = request.POST.get("code", "")
    basket = baskets.basket_for(request)
    lines = basket.lines_with_products() if basket else []
    try:
        quoted = coupons.quote(code, lines, request.user, email_of(request))
    except coupons.CouponRefused as refused:
        _refused(request, code, refused)
        return redirect("store:basket")
    request.session[COUPON_KEY] = quoted.coupon.code
    messages.success(request, _applied_sentence(quoted))
    return redirect("store:basket")


def _refused(request: HttpRequest, code: str, refused: coupons.CouponRefused) -> None:
    if refused.reason in KEEP_FOR_LATER:
        coupon = coupons.find(code)
        if coupon is not None:
            request.session[COUPON_KEY] = coupon.code
            messages.info(request, _("We kept the coupon for your basket.") + f" {refused}")
            return
    messages.error(request, str(refused))


def _applied_sentence(quoted: coupons.Quote) -> str:
    values: dict[str, Any] = {
        "code": quoted.coupon.code,
        "what": quoted.coupon.description,
        "amount": money(quoted.amount),
    }
    return _("Coupon %(code)s applied: %(what)s. You save ₹%(amount)s.") % values


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    if request.session.pop(COUPON_KEY, None):
        messages.info(request, _("The coupon is removed; you pay the full price."))
    return redirect("store:pay" if request.POST.get("next") == "pay" else "store:basket")
