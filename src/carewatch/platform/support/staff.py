"""The staff inbox: product questions and the assistant's hand-overs in one list, each
thread's conversation with the page it came from, answering, closing, and the
response-time figures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carewatch.platform.accounts.admin_site import staff_required
from carewatch.platform.accounts.permissions import signed_in
from carewatch.platform.notify import direct
from carewatch.platform.notify.models import Notification
from carewatch.platform.support import actions
from carewatch.platform.support.figures import Figures, response_figures
from carewatch.platform.support.forms import StaffAnswerForm
from carewatch.platform.support.models import Author, Kind, Message, Status, Thread

SHOWS = {
    "waiting": Q(status=Status.OPEN),
    "answered": Q(status=Status.ANSWERED),
    "closed": Q(status=Status.CLOSED),
    "all": Q(),
}
PER_PAGE = 50


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    show = request.GET.get("show", "")
    show = show if show in SHOWS else "waiting"
    latest = Message.objects.filter(thread=OuterRef("pk"), author=Author.USER).order_by("-pk")
    threads = Thread.objects.filter(SHOWS[show]).annotate(
        last_words=Subquery(latest.values("text")[:1])
    )
    if kind:
        threads = threads.filter(kind=kind)
    order = ["-waiting_since", "-pk"] if show == "waiting" else ["-updated", "-pk"]
    page = Paginator(threads.order_by(*order), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kind": kind,
        "show": show,
        "kinds": Kind.choices,
        "figures": figures(),
    }
    return render(request, "support/inbox.html", context)


def figures() -> Figures:
    now = timezone.now()
    recent = Thread.objects.filter(created__gte=now - timedelta(days=30))
    answered = recent.exclude(first_answer_at=None).values_list("created", "first_answer_at")
    waiting = Thread.objects.filter(status=Status.OPEN).exclude(waiting_since=None)
    pairs: list[Any] = list(answered)
    pairs += [(since, None) for since in waiting.values_list("waiting_since", flat=True)]
    return response_figures(pairs, now)


@staff_required
def staff_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.select_related("user"), pk=pk)
    form = StaffAnswerForm(request.POST if request.POST.get("action") == "answer" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "answer" and form.is_valid():
            actions.answer(thread, signed_in(request).user, form.cleaned_data["text"])
            messages.success(request, sent_message(thread))
            return redirect("support:inbox")
        if action in ("close", "reopen"):
            (actions.close if action == "close" else actions.reopen)(thread)
            return redirect("support:staff_thread", pk=thread.pk)
    context = {
        "thread": thread,
        "conversation": thread.messages.select_related("staff"),
        "form": form,
        "notifications": notifications(thread),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "support/staff_thread.html", context, status=status)


def sent_message(thread: Thread) -> str:
    if thread.user_id is None and not thread.email:
        return _("Answer saved and sent by SMS.")
    return _("Answer saved and sent to the customer.")


def notifications(thread: Thread) -> QuerySet[Notification]:
    return Notification.objects.filter(topic=direct.topic(thread)).select_related("channel")[:20]
