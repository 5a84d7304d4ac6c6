"""The support API: one staff inbox for the shop's product questions and for the
conversations the help assistant hands over to a person.

    from carewatch.platform.support import actions as support

    thread = support.open_thread(
        "handover",                      # or "question" (the shop's product questions)
        user=request.user,               # an account, or None / AnonymousUser for a guest
        email="", phone="",              # a guest needs at least one; phone in any usual form
        lang="ta",                       # the answer e-mail goes out in this language
        page="/kids/tracker/map/",       # the path the person was on (shown to staff)
        subject="Watch shows no position",   # a short title for the inbox
        messages=[("user", "..."), ("assistant", "..."), ("user", "I want a person")],
    )                                    # -> Thread, waiting for staff
    support.add_user_message(thread, "One more thing...")        # -> Message; waits again
    support.answer(thread, staff_user, "Here is what to do...")  # -> Message; tells the person
    support.close(thread); support.reopen(thread); support.delete_thread(thread)
    links.thread_path(thread)  # where the person reads it (carewatch.platform.support.links)

`answer` stores the staff message and tells the person (after the transaction commits,
as stored Notification rows): an account through its channels (the in-app inbox at
least), and by e-mail to the thread's address unless the account has a confirmed
e-mail channel; a guest by e-mail, or by SMS when the thread has only a phone. Each
e-mail's Reply-To carries a signed token, so a reply by e-mail lands in the same thread
(see inbound.py). Texts are stripped of direction controls and cut at MAX_MESSAGE
characters. Bad arguments raise ValueError with a sentence saying what is wrong.
Hand-overs are deleted SUPPORT_KEEP_DAYS after their last message (a daily task) unless
they still wait for staff; product questions are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carewatch.platform.lib.phones import normalise_phone
from carewatch.platform.lib.text import strip_bidi
from carewatch.platform.notify import direct
from carewatch.platform.notify.models import Notification
from carewatch.platform.support import emails
from carewatch.platform.support.models import (
    MAX_MESSAGE,
    Author,
    Kind,
    Message,
    Status,
    Thread,
    Via,
)
from carewatch.platform.support.signals import thread_answered

__all__ = [
    "add_user_message",
    "answer",
    "close",
    "delete_thread",
    "forget_old_handovers",
    "open_thread",
    "reopen",
]


def clean(text: str) -> str:
    return strip_bidi(str(text)).strip()[:MAX_MESSAGE]


def language(lang: str) -> str:
    """The code for "ta", "ta-IN" or "TA" is "ta"; a language we do not speak: the default."""
    code = (lang or "").split("-")[0].split("_")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def open_thread(
    kind: str,
    *,
    user: Any = None,
    email: str | None = "",
    phone: str | None = "",
    lang: str,
    page: str,
    subject: str,
    messages: Sequence[tuple[str, str]],
) -> Thread:
    if kind not in Kind.values:
        raise ValueError(f"The kind must be one of {Kind.values}, not {kind!r}.")
    owner = user if getattr(user, "is_authenticated", False) else None
    email = (email or "").strip() or (owner.email if owner is not None else "")
    number = normalise_phone(phone) if phone else ""
    if number is None:
        raise ValueError("The phone number is not a mobile number (+ and the country code).")
    if owner is None and not (email or number):
        raise ValueError("A guest's thread needs an e-mail address or a phone number.")
    texts = [(author, clean(text)) for author, text in messages]
    if any(author not in (Author.USER, Author.ASSISTANT) for author, _ in texts):
        raise ValueError("Messages come from 'user' or 'assistant'.")
    if not any(author == Author.USER and text for author, text in texts):
        raise ValueError("A thread starts with at least one message from the user.")
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            kind=kind,
            user=owner,
            email=email,
            phone=number,
            language=language(lang),
            page=page[:300] if page.startswith("/") and not page.startswith("//") else "",
            subject=clean(subject)[:200] or texts[0][1][:60],
            status=Status.OPEN,
            created=now,
            updated=now,
            waiting_since=now,
        )
        via = Via.ASSISTANT if kind == Kind.HANDOVER else Via.WEB
        Message.objects.bulk_create(
            Message(thread=thread, author=author, text=text, via=via, created=now)
            for author, text in texts
            if text
        )
    return thread


def add_user_message(thread: Thread, text: str, *, via: str = Via.WEB) -> Message:
    """The person writes again (on the thread's page, by e-mail): it waits for staff."""
    text = clean(text)
    if not text:
        raise ValueError("The message is empty.")
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.create(thread=thread, author=Author.USER, text=text, via=via)
        thread.status, thread.updated = Status.OPEN, now
        thread.waiting_since = thread.waiting_since or now
        thread.save(update_fields=["status", "updated", "waiting_since"])
    return message


def answer(thread: Thread, staff: Any, text: str) -> Message:
    """Stores the answer and tells the person (see the module's docstring)."""
    text = clean(text)
    if not text:
        raise ValueError("The answer is empty.")
    now = timezone.now()
    with transaction.atomic():
        # Two staff answering at once: the row lock makes exactly one of them the first.
        locked = Thread.objects.select_for_update().only("first_answer_at").get(pk=thread.pk)
        thread.first_answer_at = locked.first_answer_at
        message = Message.objects.create(thread=thread, author=Author.STAFF, staff=staff, text=text)
        first = thread.first_answer_at is None
        thread.status, thread.updated, thread.waiting_since = Status.ANSWERED, now, None
        thread.first_answer_at = thread.first_answer_at or now
        thread.save(update_fields=["status", "updated", "waiting_since", "first_answer_at"])
        emails.tell(thread, message)
        thread_answered.send(sender=Thread, thread=thread, message=message, first=first)
    return message


def close(thread: Thread) -> None:
    thread.status, thread.waiting_since = Status.CLOSED, None
    thread.save(update_fields=["status", "waiting_since"])


def reopen(thread: Thread) -> None:
    thread.status = Status.OPEN
    thread.waiting_since = thread.waiting_since or timezone.now()
    thread.save(update_fields=["status", "waiting_since"])


def forget_old_handovers(now: datetime | None = None) -> int:
    """Deletes the assistant's hand-overs whose last message is older than
    SUPPORT_KEEP_DAYS, unless they still wait for us; returns how many."""
    if not settings.SUPPORT_KEEP_DAYS:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=settings.SUPPORT_KEEP_DAYS)
    old = Thread.objects.filter(kind=Kind.HANDOVER, updated__lt=cutoff).exclude(status=Status.OPEN)
    with transaction.atomic():
        ids = list(old.values_list("pk", flat=True))
        topics = [f"{Thread._meta.label_lower}:{pk}" for pk in ids]
        Notification.objects.filter(topic__in=topics).delete()
        Thread.objects.filter(pk__in=ids).delete()
    return len(ids)


def delete_thread(thread: Thread) -> None:
    """The person's right to delete: the messages and the notifications that quoted them."""
    with transaction.atomic():
        direct.forget(thread)
        thread.delete()
