"""Pages: the inbox, and the user's own channels (another user's channel is a 404).

Every action is a plain POST form that works without JavaScript; with htmx
the list row or inbox item is swapped in place instead of reloading the page.
"""

from __future__ import annotations

import json
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carewatch.platform.accounts.models import User
from carewatch.platform.notify import confirm, inbox, vapid
from carewatch.platform.notify.forms import CHANNEL_FORMS, clean_subscription
from carewatch.platform.notify.models import Channel, Notification
from carewatch.platform.notify.sending import send_to
from carewatch.platform.notify.transports import sms

MAX_CHANNELS = 20
TESTS_PER_HOUR = 5
HEADINGS = {
    "email": gettext_lazy("Add an e-mail address"),
    "sms": gettext_lazy("Add a mobile number for SMS"),
    "webhook": gettext_lazy("Add a webhook"),
}
SECRET_KEY = "notify_new_webhook_secret"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def me(request: HttpRequest) -> User:
    """The signed-in user (every view here is login_required)."""
    return cast(User, request.user)


def own_channel(request: HttpRequest, pk: int) -> Channel:
    return get_object_or_404(Channel, pk=pk, owner=me(request))


# --- Inbox ----------------------------------------------------------------------


@login_required
@require_GET
def inbox_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(inbox.messages(me(request)), 30).get_page(request.GET.get("page"))
    unread = inbox.unread_count(request.user)
    return render(request, "notify/inbox.html", {"page": page, "unread": unread})


def own_message(request: HttpRequest, pk: int) -> Notification:
    return get_object_or_404(inbox.messages(me(request)), pk=pk)


@login_required
@require_GET
def open_message(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks the message read and follows its link (only links to this site)."""
    message = own_message(request, pk)
    inbox.mark_read(me(request), [message.pk])
    safe = url_has_allowed_host_and_scheme(message.url, {request.get_host()}, request.is_secure())
    return redirect(message.url if message.url and safe else "notify:inbox")


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    message = own_message(request, pk)
    inbox.mark_read(me(request), [message.pk])
    if is_htmx(request):
        message.refresh_from_db()
        unread = inbox.unread_count(request.user)
        context = {"message": message, "unread": unread, "summary_oob": True}
        response = render(request, "notify/_inbox_item.html", context)
        response["HX-Trigger"] = json.dumps({"notify:unread": unread})
        return response
    return redirect("notify:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = inbox.mark_read(me(request))
    messages.success(request, _("Marked %(count)d messages as read.") % {"count": count})
    return redirect("notify:inbox")


@login_required
@require_GET
def unread(request: HttpRequest) -> HttpResponse:
    """The unread count as a small fragment, for htmx polling or scripts."""
    return render(request, "notify/_unread.html", {"unread": inbox.unread_count(request.user)})


# --- Channels -------------------------------------------------------------------


@login_required
@require_GET
def channel_list(request: HttpRequest) -> HttpResponse:
    inbox.inbox_channel(me(request))
    channels = Channel.objects.filter(owner=me(request))
    context = {"channels": channels, "sms_available": sms.is_configured()}
    return render(request, "notify/channels.html", context)


@login_required
@require_GET
def channel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    channel = own_channel(request, pk)
    secret = request.session.pop(SECRET_KEY, None)
    shown = secret if secret and secret.get("channel") == channel.pk else None
    recent = channel.notifications.prefetch_related("attempts")[:20]
    context = {"channel": channel, "recent": recent, "secret": shown and shown["secret"]}
    return render(request, "notify/channel.html", context)


def too_many_channels(request: HttpRequest) -> str:
    """A sentence saying why no channel can be added, or "" when one can."""
    if Channel.objects.filter(owner=me(request)).count() < MAX_CHANNELS:
        return ""
    return _(
        "You have %(max)d channels, the most allowed: delete one you no longer use, "
        "then add the new one."
    ) % {"max": MAX_CHANNELS}


@login_required
@require_http_methods(["GET", "POST"])
def add_channel(request: HttpRequest, kind: str) -> HttpResponse:
    form_class = CHANNEL_FORMS.get(kind)
    if form_class is None:
        raise Http404
    if kind == "sms" and not sms.is_configured():
        messages.error(request, _("SMS is not available on this server: choose another channel."))
        return redirect("notify:channels")
    initial = {"phone": getattr(request.user, "phone", "")} if kind == "sms" else {}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and (refusal := too_many_channels(request)):
        form.add_error(None, refusal)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"] or form.default_name()
        value = form.value()
        channel = Channel.objects.create(owner=me(request), kind=kind, name=name, value=value)
        if kind == "webhook":
            request.session[SECRET_KEY] = {"channel": channel.pk, "secret": channel.value["secret"]}
        if kind == "email" and confirm.needs_confirmation(me(request), value["email"]):
            ask_to_confirm(request, channel)
        else:
            messages.success(request, _("Channel “%(name)s” added.") % {"name": channel})
        return redirect("notify:channel", pk=channel.pk)
    context = {"form": form, "kind": kind, "heading": HEADINGS[kind]}
    return render(request, "notify/add_channel.html", context, status=400 if form.errors else 200)


def ask_to_confirm(request: HttpRequest, channel: Channel) -> None:
    channel.verified = False
    channel.save(update_fields=["verified"])
    confirm.queue_confirmation(channel)
    messages.info(
        request,
        _("We sent a confirmation link to %(email)s: alerts go there once it is confirmed.")
        % {"email": channel.value["email"]},
    )


@require_http_methods(["GET", "POST"])
def confirm_channel(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the address may belong to someone else (a grandparent, a neighbour)."""
    channel = confirm.channel_for(token)
    if request.method == "POST" and channel is not None:
        channel.verified = True
        channel.save(update_fields=["verified"])
    return render(
        request, "notify/confirm.html", {"channel": channel}, status=404 if channel is None else 200
    )


@login_required
@require_GET
def push_key(request: HttpRequest) -> JsonResponse:
    """The VAPID application server key, for scripts other than notify/push.js."""
    return JsonResponse({"publicKey": vapid.public_key()})


@login_required
@require_http_methods(["GET", "POST"])
def add_push(request: HttpRequest) -> HttpResponse:
    """GET: the page whose script subscribes; POST: the subscription as JSON."""
    if request.method == "GET":
        return render(request, "notify/add_push.html", {"public_key": vapid.public_key()})
    try:
        body = json.loads(request.body or b"null")
        value = clean_subscription(body.get("subscription") if isinstance(body, dict) else None)
    except (ValueError, UnicodeDecodeError) as error:
        unreadable = _("The browser sent something we could not read: reload and try again.")
        message = unreadable if isinstance(error, json.JSONDecodeError) else str(error)
        return JsonResponse({"error": message}, status=400)
    name = str(body.get("name") or _("This browser"))[:100]
    mine = Channel.objects.filter(owner=me(request), kind="push")
    channel = mine.filter(value__endpoint=value["endpoint"]).first()
    if channel is None:
        if refusal := too_many_channels(request):
            return JsonResponse({"error": refusal}, status=400)
        channel = Channel(owner=me(request), kind="push", name=name)
    channel.value, channel.disabled, channel.disabled_reason = value, False, ""
    channel.save()
    url = reverse("notify:channel", args=[channel.pk])
    return JsonResponse({"id": channel.pk, "redirect": url}, status=201)


def row_or_list(request: HttpRequest, channel: Channel, notice: str) -> HttpResponse:
    if is_htmx(request):
        return render(request, "notify/_channel_row.html", {"channel": channel, "notice": notice})
    messages.success(request, notice)
    return redirect("notify:channels")


def too_many_tests(channel: Channel) -> bool:
    """At most TESTS_PER_HOUR tests per channel, so tests cannot be used to flood someone."""
    # The creation time keeps counters apart when ids are reused (test databases, restores).
    key = f"notify:tests:{channel.pk}:{channel.created.timestamp()}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > TESTS_PER_HOUR


@login_required
@require_POST
def test_channel(request: HttpRequest, pk: int) -> HttpResponse:
    channel = own_channel(request, pk)
    if channel.disabled:
        return row_or_list(request, channel, _("Turn the channel on before sending a test."))
    if not channel.verified:
        return row_or_list(
            request,
            channel,
            _("Confirm the address with the link we e-mailed before sending a test."),
        )
    if too_many_tests(channel):
        return row_or_list(
            request,
            channel,
            _("You sent several tests in the last hour: wait a while, then try again."),
        )
    send_to(
        [channel],
        _("Test notification from CareWatch"),
        _("If you can read this, CareWatch can reach you through “%(name)s”.") % {"name": channel},
        url=reverse("notify:channel", args=[channel.pk]),
        event="notify.test",
    )
    notice = _(
        "A test notification is on its way to “%(name)s”; its result appears on the channel's page."
    ) % {"name": channel}
    return row_or_list(request, channel, notice)


@login_required
@require_POST
def enable_channel(request: HttpRequest, pk: int) -> HttpResponse:
    channel = own_channel(request, pk)
    channel.enable()
    return row_or_list(request, channel, _("“%(name)s” is on.") % {"name": channel})


@login_required
@require_POST
def disable_channel(request: HttpRequest, pk: int) -> HttpResponse:
    channel = own_channel(request, pk)
    if channel.is_inbox:
        return row_or_list(request, channel, _("The inbox is always on."))
    channel.disable(_("Turned off by you."))
    return row_or_list(request, channel, _("“%(name)s” is off.") % {"name": channel})


@login_required
@require_http_methods(["GET", "POST"])
def delete_channel(request: HttpRequest, pk: int) -> HttpResponse:
    channel = own_channel(request, pk)
    if channel.is_inbox:
        messages.error(request, _("The inbox cannot be deleted."))
        return redirect("notify:channels")
    if request.method == "POST":
        channel.delete()
        messages.success(request, _("Channel “%(name)s” deleted.") % {"name": channel})
        return redirect("notify:channels")
    return render(request, "notify/delete_channel.html", {"channel": channel})
