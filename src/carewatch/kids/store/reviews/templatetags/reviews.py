"""The product page's reviews-and-questions section, and the links of the review e-mail."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.functional import SimpleLazyObject

from carewatch.kids.store.catalogue import pagecache
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders.models import Order
from carewatch.kids.store.reviews.forms import QuestionForm
from carewatch.kids.store.reviews.summary import summarise
from carewatch.kids.store.reviews.tokens import review_url

register = template.Library()


@register.inclusion_tag("reviews/_section.html", takes_context=True)
def product_reviews(context: template.Context, product: Product) -> dict[str, Any]:
    """The section is cached in two fragments around the form's CSRF token, keyed by the
    catalogue generation (any review, answer or vote starts a new one, see pagecache):
    the summary and the form are only built when a fragment is missing."""
    user = context.get("user")
    email = getattr(user, "email", "") if getattr(user, "is_authenticated", False) else ""
    return {
        "product": product,
        "summary": SimpleLazyObject(lambda: summarise(product)),
        "question_form": SimpleLazyObject(lambda: QuestionForm(initial={"email": email})),
        "csrf_token": context.get("csrf_token"),
        "key": pagecache.fragment_key("reviews", product.pk, pagecache.generation()),
        "email": email,
    }


@register.simple_tag
def review_links(order: Order) -> list[tuple[str, str]]:
    """(name, path) for each product in the order, one link per model: a parent with two
    identical watches is asked once, about the first of them."""
    links: dict[int, tuple[str, str]] = {}
    for line in order.lines.select_related("product"):
        if line.product_id and line.product_id not in links:
            links[line.product_id] = (line.product_name, review_url(line))
    return list(links.values())


@register.filter
def stars(rating: float | int | None) -> str:
    filled = round(rating or 0)
    return "★" * filled + "☆" * (5 - filled)
