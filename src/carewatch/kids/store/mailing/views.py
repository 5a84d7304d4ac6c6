"""The subscriber's pages: confirm (double opt-in), unsubscribe (one click, RFC 8058) and
the profile's choice. None needs a login except the profile's; the signed token is the key.

A GET never changes anything (mail scanners open links): it shows a button. The
unsubscribe POST takes no CSRF token, since a mail client sends it from outside the site
(RFC 8058); the token in the address is what makes it this subscriber's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from carewatch.kids.store.mailing import subscriptions
from carewatch.platform.accounts.permissions import signed_in


@never_cache  # the page names the address: no proxy or shared browser keeps it
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = subscriptions.subscriber_for(
        token, subscriptions.CONFIRM_SALT, subscriptions.CONFIRM_MAX_AGE
    )
    if subscriber is None:
        return render(request, "mailing/bad_link.html", status=400)
    if request.method == "POST":
        subscriptions.do_confirm(subscriber)
        return render(request, "mailing/done.html", {"confirmed": True})
    return render(request, "mailing/confirm.html", {"subscriber": subscriber})


@csrf_exempt  # RFC 8058: the mail client's POST carries no CSRF token; the signed token does
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = subscriptions.subscriber_for(token, subscriptions.UNSUBSCRIBE_SALT)
    if subscriber is None:
        return render(request, "mailing/bad_link.html", status=400)
    if request.method == "POST":
        subscriptions.do_unsubscribe(subscriber)
        return render(request, "mailing/done.html", {"confirmed": False})
    return render(request, "mailing/unsubscribe.html", {"subscriber": subscriber})


@login_required
@require_POST
def preference(request: HttpRequest) -> HttpResponse:
    """The profile's checkbox: ask for the e-mails (a confirmation link first) or stop."""
    user = signed_in(request).user
    if request.POST.get("news") == "on":
        language = user.language or translation.get_language() or ""
        subscriber = subscriptions.do_subscribe(user.email, user, language)
        if not subscriber.is_confirmed:
            messages.info(
                request,
                _("We sent a link to %(email)s. Click it to start the new-product e-mails.")
                % {"email": user.email},
            )
    else:
        current = subscriptions.subscription_of(user)
        if current is not None:
            subscriptions.do_unsubscribe(current)
        messages.info(request, _("You will get no e-mails about new products."))
    return redirect("accounts:home")
