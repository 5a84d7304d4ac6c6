"""The customer's side: their conversations, each thread's page (an account's own, or a
guest's through the signed link in the answer e-mail), writing back and deleting."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carewatch.platform.accounts.permissions import signed_in
from carewatch.platform.support import actions, links
from carewatch.platform.support.forms import DeleteForm, ReplyForm
from carewatch.platform.support.models import Author, Thread

MESSAGES_PER_HOUR = 10  # in one thread: plenty for a person, a wall for a script


@login_required
def my_threads(request: HttpRequest) -> HttpResponse:
    threads = Thread.objects.filter(user=signed_in(request).user).order_by("-updated")
    return render(request, "support/my_threads.html", {"threads": threads[:100]})


@login_required
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    return conversation(request, get_object_or_404(Thread, pk=pk, user=signed_in(request).user))


def guest_thread(request: HttpRequest, token: str) -> HttpResponse:
    found = links.thread_for_guest_token(token)
    if found is None:
        return render(request, "support/bad_link.html", status=404)
    return conversation(request, found)


def conversation(request: HttpRequest, found: Thread) -> HttpResponse:
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and too_many(found):
            form.add_error(
                None,
                _(
                    "You have written %(n)s messages here in the last hour. We read them all: "
                    "please wait for our answer."
                )
                % {"n": MESSAGES_PER_HOUR},
            )
            status = 429
        elif form.is_valid():
            actions.add_user_message(found, form.cleaned_data["text"])
            messages.success(request, _("Sent. We will tell you when we answer."))
            return redirect(request.path)
        else:
            status = 400
    return show(request, found, form, DeleteForm(), status)


def show(
    request: HttpRequest, found: Thread, form: ReplyForm, delete_form: DeleteForm, status: int
) -> HttpResponse:
    token = request.resolver_match.kwargs.get("token") if request.resolver_match else None
    delete_url = (
        reverse("support:guest_delete", args=[token])
        if token
        else reverse("support:delete", args=[found.pk])
    )
    context = {
        "thread": found,
        "conversation": found.messages.select_related("staff"),
        "form": form,
        "delete_form": delete_form,
        "delete_url": delete_url,
    }
    return render(request, "support/thread.html", context, status=status)


def too_many(found: Thread) -> bool:
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    mine = found.messages.filter(author=Author.USER, created__gte=an_hour_ago)
    return mine.count() >= MESSAGES_PER_HOUR


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    return deleting(request, get_object_or_404(Thread, pk=pk, user=signed_in(request).user))


@require_POST
def guest_delete(request: HttpRequest, token: str) -> HttpResponse:
    found = links.thread_for_guest_token(token)
    if found is None:
        return render(request, "support/bad_link.html", status=404)
    return deleting(request, found)


def deleting(request: HttpRequest, found: Thread) -> HttpResponse:
    form = DeleteForm(request.POST)
    if not form.is_valid():
        return show(request, found, ReplyForm(), form, 400)
    actions.delete_thread(found)
    messages.success(request, _("The conversation is deleted."))
    return redirect("support:my_threads" if request.user.is_authenticated else "web:landing")
