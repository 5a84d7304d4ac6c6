"""The basket page: add, change the quantity, remove; moved prices are shown."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carewatch.kids.store.basket import baskets
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.checkout.pricing import totals_for
from carewatch.kids.store.offers.views import applied, basket_quote
from carewatch.kids.store.recommend import read


def basket(request: HttpRequest) -> HttpResponse:
    current = baskets.basket_for(request)
    lines = current.lines_with_products() if current else []
    quote, problem = basket_quote(request, lines)
    discount = quote.amount if quote else Decimal("0")
    context = {
        "lines": lines,
        "totals": totals_for([(line.price, line.quantity) for line in lines], discount=discount),
        "coupon_code": applied(request),
        "coupon_quote": quote,
        "coupon_problem": problem,
        "related": read.related_to_basket([line.product for line in lines]),
    }
    return render(request, "basket/basket.html", context)


@require_POST
def add(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product.objects.listed(), slug=slug)
    if not product.in_stock:
        messages.error(request, _("Sorry, %(name)s is out of stock.") % {"name": product.name})
        return redirect(product)
    quantity = _quantity(request)
    if quantity < 1:
        messages.error(request, _("Choose a quantity of 1 or more."))
        return redirect(product)
    baskets.add(baskets.basket_for(request, create=True), product, quantity)  # type: ignore[arg-type]
    messages.success(request, _("%(name)s is in your basket.") % {"name": product.name})
    return redirect("store:basket")


@require_POST
def update(request: HttpRequest, line_id: int) -> HttpResponse:
    current = baskets.basket_for(request)
    if current is not None:
        quantity = 0 if "remove" in request.POST else _quantity(request)
        baskets.set_quantity(current, line_id, quantity)
    return redirect("store:basket")


def _quantity(request: HttpRequest) -> int:
    try:
        return max(int(request.POST.get("quantity", "1")), 0)
    except ValueError:
        return 1
