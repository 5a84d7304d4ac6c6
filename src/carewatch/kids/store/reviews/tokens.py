"""The signed link in the review-request e-mail: it names one order line, so a guest
can review without an account and nobody can review a line they did not buy."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.urls import reverse

from carewatch.kids.store.orders.models import OrderLine, Status

SALT = "carewatch.reviews.line"
# The request goes a week after delivery; a parent may answer it months later.
MAX_AGE = dt.timedelta(days=180)


def make_token(line: OrderLine) -> str:
    return signing.dumps(line.pk, salt=SALT, compress=False)


def review_url(line: OrderLine) -> str:
    slug = line.product.slug if line.product else ""
    return reverse("store:review_write", args=[slug, make_token(line)])


def line_for(token: str, slug: str) -> OrderLine | None:
    """The delivered order line the token names, when it is for this product; else None."""
    try:
        line_id = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # also an expired signature
        return None
    lines = OrderLine.objects.select_related("order", "product")
    line = lines.filter(pk=line_id, order__status=Status.DELIVERED).first()
    if line is None or line.product is None or line.product.slug != slug:
        return None
    return line
