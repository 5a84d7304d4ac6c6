"""Telling the person that staff answered: rows first (platform/notify), sent after
commit. A guest's e-mail and SMS carry a signed link, so they are composed when sent
(`compose_email`, `compose_sms`): only ids and the Reply-To address sit in the row."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from carewatch.platform.notify import direct, sending
from carewatch.platform.notify.models import Notification
from carewatch.platform.notify.transports.sms import MAX_LENGTH as SMS_LENGTH
from carewatch.platform.support import links
from carewatch.platform.support.models import Author, Kind, Message, Thread

EVENTS = {Kind.QUESTION: "store.question_answered", Kind.HANDOVER: "support.answered"}
COMPOSE_EMAIL = "carewatch.platform.support.emails.compose_email"
COMPOSE_SMS = "carewatch.platform.support.emails.compose_sms"


def subject(thread: Thread) -> str:
    """In the active language."""
    if thread.kind == Kind.QUESTION:
        return _("Your question about %(product)s is answered") % {"product": thread.subject}
    return _("CareWatch answered your message")


def public_path(thread: Thread) -> str:
    """A product question's answer is published under the product."""
    return f"{thread.page}#questions" if thread.kind == Kind.QUESTION and thread.page else ""


def render(thread: Thread, message: Message) -> direct.Message:
    asked = thread.messages.filter(author=Author.USER, pk__lt=message.pk).order_by("-pk").first()
    public = public_path(thread)
    context = {
        "thread": thread,
        "answer": message,
        "asked": asked,
        "public_link": settings.SITE_URL + public if public else "",
        "thread_link": links.thread_link(thread),
    }
    with translation.override(thread.language):
        return direct.Message(
            subject(thread),
            render_to_string("support/email/answer.txt", context),
            render_to_string("support/email/answer.html", context),
        )


def tell(thread: Thread, message: Message) -> None:
    payload: dict[str, Any] = {
        "thread": thread.pk,
        "message": message.pk,
        "reply_to": links.reply_to(thread),
    }
    about, event = direct.topic(thread), EVENTS[Kind(thread.kind)]
    with translation.override(thread.language):
        title = subject(thread)
    user = thread.user
    if user is not None and user.is_active:
        _subject, text, html = render(thread, message)
        url = public_path(thread) or links.thread_path(thread)
        sending.send(
            user, title, text, html=html, url=url, event=event, topic=about, payload=payload
        )
        mail = user.notify_channels.filter(kind="email", verified=True, disabled=False)
        if mail.exists():
            return
    if thread.email:
        direct.send_email(
            thread.email, title, compose=COMPOSE_EMAIL, about=about, event=event, payload=payload
        )
    elif thread.phone:
        direct.send_sms(
            thread.phone,
            subject=title,
            compose=COMPOSE_SMS,
            about=about,
            event=event,
            payload=payload,
        )


def _loaded(notification: Notification) -> tuple[Thread, Message] | None:
    message = (
        Message.objects.select_related("thread")
        .filter(pk=notification.payload.get("message"), thread=notification.payload.get("thread"))
        .first()
    )
    return (message.thread, message) if message is not None else None


def compose_email(notification: Notification) -> direct.Message | None:
    loaded = _loaded(notification)
    return render(*loaded) if loaded else None


def compose_sms(notification: Notification) -> direct.Message | None:
    loaded = _loaded(notification)
    if loaded is None:
        return None
    thread, message = loaded
    link = links.thread_link(thread)
    with translation.override(thread.language):
        words = _("CareWatch answered you: %(answer)s Read and reply: %(link)s")
    room = SMS_LENGTH - len(words % {"answer": "", "link": link})
    answer = message.text if len(message.text) <= room else message.text[: room - 1] + "…"
    return direct.Message(subject(thread), words % {"answer": answer, "link": link})
