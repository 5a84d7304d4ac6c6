"""The product page's and the basket's related products, and "recommended for you"."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.functional import SimpleLazyObject

from carewatch.kids.store.catalogue import pagecache
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.recommend import read

register = template.Library()
# Related rows change when the nightly task rewrites them (a new catalogue generation) or
# staff save a product; a related product that sells out shows for at most this long.
RELATED_FRESH_S = 60


@register.inclusion_tag("recommend/_related.html")
def related_products(product: Product) -> dict[str, Any]:
    """Read only when the cached fragment is missing (its key names the generation)."""
    return {
        "items": SimpleLazyObject(lambda: read.related_to(product)),
        "key": pagecache.fragment_key("related", product.pk, pagecache.generation()),
        "fresh_s": RELATED_FRESH_S,
    }


@register.inclusion_tag("recommend/_for_you.html", takes_context=True)
def recommended_for_you(context: template.Context, exclude: Any = ()) -> dict[str, Any]:
    ids = {getattr(p, "pk", p) for p in exclude}
    return {"items": read.for_user(context.get("user"), ids)}
