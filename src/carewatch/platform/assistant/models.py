"""Conversations with the help assistant, kept only when the person agreed (or handed the
conversation to a person). Without consent the last few turns live in the session only,
so that "talk to a person" can send them, and go when the session goes."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Conversation(models.Model):
    # The session holds the key; a guest's conversation is reachable through it alone.
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="assistant_conversations",
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now, db_index=True)
    # The support thread it was handed over to (support keeps that thread on its own terms).
    support_thread_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("assistant conversation")

    def __str__(self) -> str:
        return f"#{self.pk} ({self.language})"


class Turn(models.Model):
    conversation = models.ForeignKey(Conversation, models.CASCADE, related_name="turns")
    question = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=16)
    section = models.CharField(_("help section"), max_length=200, blank=True)
    answer = models.TextField(_("answer"))
    score = models.FloatField(default=0.0)
    page = models.CharField(_("page"), max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("assistant turn")

    def __str__(self) -> str:
        return self.question[:60]
