"""The profile's "Offers for you": the customer's usable personal coupons, each with an
Apply button that puts it on the basket."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from carewatch.kids.store.offers.personal import usable_offers


def section(request: HttpRequest) -> str:
    offers = usable_offers(request.user)
    if not offers:
        return ""
    return render_to_string("offers/profile_section.html", {"offers": offers}, request=request)
