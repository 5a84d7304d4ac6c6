"""Conversations between a customer and staff: the shop's product questions and what
the help assistant hands over to a person. One Thread per conversation, its Messages in
order. A thread belongs to an account when the person was signed in; otherwise it has
only the e-mail address and/or phone number they gave."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_MESSAGE = 4000


class Kind(models.TextChoices):
    QUESTION = "question", _("Product question")
    HANDOVER = "handover", _("From the help assistant")


class Status(models.TextChoices):
    OPEN = "open", _("Waiting for us")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Author(models.TextChoices):
    USER = "user", _("Customer")
    STAFF = "staff", _("Staff")
    ASSISTANT = "assistant", _("Help assistant")


class Via(models.TextChoices):
    WEB = "web", _("On the site")
    EMAIL = "email", _("By e-mail")
    ASSISTANT = "assistant", _("In the help assistant")


class Thread(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # An account's conversations go with the account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="support_threads",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    page = models.CharField(_("asked on the page"), max_length=300, blank=True)
    subject = models.CharField(_("about"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created = models.DateTimeField(_("asked"), default=timezone.now)
    updated = models.DateTimeField(_("last message"), default=timezone.now)
    # Since when the customer's newest words wait for us (None when they do not).
    waiting_since = models.DateTimeField(null=True, blank=True)
    first_answer_at = models.DateTimeField(_("first answered"), null=True, blank=True)

    class Meta:
        ordering = ["-updated", "-pk"]
        verbose_name = _("conversation")
        indexes = [
            models.Index(fields=["status", "-waiting_since"], name="support_waiting"),
            models.Index(fields=["created"], name="support_created"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"[:80]


class Message(models.Model):
    thread = models.ForeignKey(Thread, models.CASCADE, related_name="messages")
    author = models.CharField(_("from"), max_length=10, choices=Author.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.WEB)
    text = models.TextField(_("message"))
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("message")

    def __str__(self) -> str:
        return self.text[:60]
