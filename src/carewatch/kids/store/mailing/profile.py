"""The profile's choice about new-product e-mails: a checkbox, never ticked for them."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from carewatch.kids.store.mailing.subscriptions import subscription_of


def section(request: HttpRequest) -> str:
    subscriber = subscription_of(request.user)
    context = {"subscriber": subscriber}
    return render_to_string("mailing/profile_section.html", context, request=request)
