from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation

from carewatch.platform.accounts import mails


class AccountAdapter(DefaultAccountAdapter):
    """Remembers the language a person signed up in, for the e-mails we send later, and
    queues every mail as a notification row (see mails.py) instead of sending it in the
    request."""

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.language = translation.get_language() or ""
        return super().save_user(request, user, form, commit)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        mails.queue_rendered(template_prefix, email, context)

    def send_confirmation_mail(
        self, request: HttpRequest, emailconfirmation: Any, signup: bool
    ) -> None:
        mails.queue_confirmation(emailconfirmation.email_address, signup)

    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        mails.queue_password_reset(user, email)
