"""The profile's "Recommended for you" (platform/accounts/sections.py): the same stored
rows as the shop profile page, with a link to it."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from carewatch.kids.store.recommend import read


def section(request: HttpRequest) -> str:
    items = read.for_user(request.user)
    if not items:
        return ""
    context = {"items": items}
    return render_to_string("recommend/profile_section.html", context, request=request)
