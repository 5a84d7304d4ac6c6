"""Finding, filling and merging baskets. Views stay thin around these functions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest

from carewatch.kids.store.basket.models import MAX_QUANTITY, Basket, BasketLine
from carewatch.kids.store.catalogue.models import Product
from carewatch.platform.accounts.models import User

SESSION_KEY = "store_basket_id"


def basket_for(request: HttpRequest, *, create: bool = False) -> Basket | None:
    """The visitor's basket: the account's when logged in, else the session's."""
    if request.user.is_authenticated:
        basket = Basket.objects.filter(owner=request.user).first()
        if basket is None and create:
            basket = Basket.objects.create(owner=request.user)
        return basket
    basket_id = request.session.get(SESSION_KEY)
    basket = Basket.objects.filter(pk=basket_id, owner=None).first() if basket_id else None
    if basket is None and create:
        basket = Basket.objects.create()
        request.session[SESSION_KEY] = basket.pk
    return basket


def add(basket: Basket, product: Product, quantity: int = 1) -> BasketLine:
    line, created = BasketLine.objects.get_or_create(
        basket=basket, product=product, defaults={"quantity": 0, "price": product.price}
    )
    line.quantity = min(line.quantity + quantity, MAX_QUANTITY)
    line.save(update_fields=["quantity"])
    return line


def set_quantity(basket: Basket, line_id: int, quantity: int) -> None:
    lines = BasketLine.objects.filter(basket=basket, pk=line_id)
    if quantity <= 0:
        lines.delete()
    else:
        lines.update(quantity=min(quantity, MAX_QUANTITY))


def merge_into_account(request: HttpRequest, user: User) -> None:
    """After login: the session basket's lines join the account's basket (quantities add up)."""
    basket_id = request.session.pop(SESSION_KEY, None)
    anonymous = Basket.objects.filter(pk=basket_id, owner=None).first() if basket_id else None
    if anonymous is None:
        return
    with transaction.atomic():
        target, _ = Basket.objects.get_or_create(owner=user)
        for line in anonymous.lines.select_related("product"):
            existing = target.lines.filter(product=line.product).first()
            if existing:
                existing.quantity = min(existing.quantity + line.quantity, MAX_QUANTITY)
                existing.save(update_fields=["quantity"])
            else:
                line.basket = target
                line.save(update_fields=["basket"])
        anonymous.delete()


@dataclass(frozen=True)
class PriceChange:
    name: str
    old: Decimal
    new: Decimal


def accept_current_prices(basket: Basket) -> list[PriceChange]:
    """Moves each line to today's price; returns what changed so the page can say so."""
    changes = []
    for line in basket.lines_with_products():
        if line.price_changed:
            changes.append(PriceChange(line.product.name, line.price, line.product.price))
            line.price = line.product.price
            line.save(update_fields=["price"])
    return changes


def empty(basket: Basket) -> None:
    basket.lines.all().delete()
