"""The assistant's pages: ask (a plain form, or fetch with JSON), hand over, delete."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from carewatch.platform.assistant import conversations, engine
from carewatch.platform.assistant.forms import AskForm, HandoverForm
from carewatch.platform.assistant.text import clean, safe_page


def _lang() -> str:
    lang = (get_language() or "en").split("-")[0]
    return lang if lang in ("en", "hi", "ta") else "en"


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    reply = None
    conversations.resume(request)
    form = AskForm(request.POST or None, initial={"page": safe_page(request.GET.get("page", ""))})
    if request.method == "POST":
        if not form.is_valid() or not clean(form.cleaned_data["question"]):
            if _wants_json(request):
                return JsonResponse({"error": _("Type a question first.")}, status=400)
            return render(request, "assistant/page.html", _context(request, form, None), status=400)
        question = clean(form.cleaned_data["question"])
        page = safe_page(form.cleaned_data.get("page") or "")
        reply = engine.default().ask(question, _lang(), page)
        conversations.record(request, question, reply, page, form.cleaned_data["consent"])
        if _wants_json(request):
            return JsonResponse({"question": question, **reply.as_json()})
        form = AskForm(initial={"page": page, "consent": form.cleaned_data["consent"]})
    return render(request, "assistant/page.html", _context(request, form, reply))


def _context(request: HttpRequest, form: AskForm, reply: Any) -> dict[str, Any]:
    return {
        "form": form,
        "reply": reply,
        "turns": conversations.turns(request),
        "kept": conversations.kept(request) is not None,
        "back": safe_page(str(form["page"].value() or "")),
    }


@require_http_methods(["GET", "POST"])
def handover(request: HttpRequest) -> HttpResponse:
    guest = not request.user.is_authenticated
    form = HandoverForm(request.POST or None, guest=guest)
    if request.method == "POST" and form.is_valid():
        if not conversations.turns(request) and not form.cleaned_data["note"].strip():
            form.add_error("note", _("Write what you need help with."))
        else:
            try:
                thread = conversations.hand_over(
                    request,
                    email=form.cleaned_data.get("email", ""),
                    phone=form.cleaned_data.get("phone", ""),
                    note=form.cleaned_data["note"],
                    lang=_lang(),
                )
            except ValueError as error:
                form.add_error(None, str(error))
            else:
                from carewatch.platform.support.links import thread_path

                return redirect(thread_path(thread))
    context = {"form": form, "turns": conversations.turns(request), "guest": guest}
    return render(request, "assistant/handover.html", context)


@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    conversations.forget(request)
    if _wants_json(request):
        return JsonResponse({"deleted": True})
    return render(request, "assistant/forgotten.html")
