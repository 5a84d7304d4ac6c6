"""Where a conversation lives: the session always (the last turns, for a hand-over), the
database only with consent, a hand-over to a person, and never past the retention time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from carewatch.platform.assistant.engine import Reply
from carewatch.platform.assistant.models import Conversation, Turn
from carewatch.platform.assistant.text import clean

SESSION_KEY = "assistant"
KEPT_IN_SESSION = 10  # turns: enough for a person to see what was asked


def turns(request: HttpRequest) -> list[dict[str, Any]]:
    return list(request.session.get(SESSION_KEY, {}).get("turns", []))


def resume(request: HttpRequest) -> None:
    """A signed-in person who kept a conversation finds it again on another device."""
    if SESSION_KEY in request.session or not request.user.is_authenticated:
        return
    conversation = Conversation.objects.filter(user=request.user).order_by("-updated").first()
    if conversation is None:
        return
    recent = list(conversation.turns.order_by("-created", "-pk")[:KEPT_IN_SESSION])[::-1]
    fields = ("question", "kind", "section", "answer", "score", "page")
    request.session[SESSION_KEY] = {
        "key": conversation.key,
        "turns": [{f: getattr(t, f) for f in fields} | {"links": []} for t in recent],
    }


def kept(request: HttpRequest) -> Conversation | None:
    """The conversation stored with consent for this session, if any."""
    key = request.session.get(SESSION_KEY, {}).get("key")
    return Conversation.objects.filter(key=key).first() if key else None


def record(request: HttpRequest, question: str, reply: Reply, page: str, consent: bool) -> None:
    turn = {
        "question": question,
        "kind": reply.kind,
        "section": reply.section,
        "answer": reply.answer,
        "score": round(reply.score, 4),
        "page": page,
        "links": [{"label": link.label, "url": link.url} for link in reply.links],
    }
    state = dict(request.session.get(SESSION_KEY, {}))
    state["turns"] = [*state.get("turns", []), turn][-KEPT_IN_SESSION:]
    if consent:
        conversation = kept(request) or _start(request, reply.lang)
        _store(conversation, [turn])
        state["key"] = conversation.key
    request.session[SESSION_KEY] = state


def _start(request: HttpRequest, lang: str) -> Conversation:
    user = request.user if request.user.is_authenticated else None
    return Conversation.objects.create(user=user, language=lang)


def _store(conversation: Conversation, new_turns: list[dict[str, Any]]) -> None:
    with transaction.atomic():
        Turn.objects.bulk_create(
            Turn(conversation=conversation, **{k: v for k, v in t.items() if k != "links"})
            for t in new_turns
        )
        conversation.updated = timezone.now()
        conversation.save(update_fields=["updated"])


def forget(request: HttpRequest) -> None:
    """The person deletes their conversation: the stored one and the session's copy."""
    conversation = kept(request)
    if conversation is not None:
        conversation.delete()
    if request.user.is_authenticated:  # every conversation they kept, on any device
        Conversation.objects.filter(user=request.user).delete()
    request.session.pop(SESSION_KEY, None)


def delete_expired(now: Any = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=settings.ASSISTANT_RETENTION_DAYS)
    deleted, _ = Conversation.objects.filter(updated__lt=cutoff).delete()
    return int(deleted)


def hand_over(request: HttpRequest, *, email: str, phone: str, note: str, lang: str) -> Any:
    """The conversation so far to the staff inbox (support's thread); asking for a person
    is consent to keep it there. Returns the support thread."""
    from carewatch.platform.support.actions import open_thread

    history = turns(request)
    note = clean(note, 2000)
    messages: list[tuple[str, str]] = []
    for turn in history:
        messages += [("user", turn["question"]), ("assistant", turn["answer"])]
    if note.strip():
        messages.append(("user", note))
    page = next((t["page"] for t in reversed(history) if t.get("page")), "")
    thread = open_thread(
        "handover",
        user=request.user,
        email=email,
        phone=phone,
        lang=lang,
        page=page,
        subject=(note.strip() or (history[-1]["question"] if history else ""))[:200],
        messages=messages,
    )
    conversation = kept(request)
    if conversation is not None:
        conversation.support_thread_id = thread.pk
        conversation.save(update_fields=["support_thread_id"])
    state = dict(request.session.get(SESSION_KEY, {}))
    state["thread"] = thread.pk
    state["turns"] = []  # they are in the thread now; a second hand-over starts afresh
    request.session[SESSION_KEY] = state
    return thread
