"""allauth's mails (sign-up, address confirmation, password reset...) on the one road: each
is a Notification row sent from the task queue, so a mail server outage delays them and
a page never fails with it.

The two that carry a secret (the confirmation link, the password reset link) are composed
when they are sent: the row holds the address's or user's id, and the link is signed then.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from carewatch.platform.accounts.models import User
from carewatch.platform.notify import direct
from carewatch.platform.notify.models import Notification

CONFIRM_SIGNUP = "account/email/email_confirmation_signup"
CONFIRM = "account/email/email_confirmation"
RESET = "account/email/password_reset_key"


def site() -> SimpleNamespace:
    """What allauth's templates call `current_site`, without a request (and without
    django.contrib.sites)."""
    return SimpleNamespace(name="CareWatch", domain=urlsplit(settings.SITE_URL).netloc)


def event_of(template_prefix: str) -> str:
    return "accounts." + template_prefix.rsplit("/", 1)[-1]


def queue_rendered(template_prefix: str, email: str, context: dict[str, Any]) -> Notification:
    """A mail without a secret: rendered now, in the page's language, and queued."""
    message = get_adapter().render_mail(
        template_prefix, email, {"email": email, "current_site": site(), **context}
    )
    html = next((body for body, kind in message.alternatives if kind == "text/html"), None)
    user = context.get("user")
    about = direct.topic(user) if isinstance(user, User) else ""
    event = event_of(template_prefix)
    return direct.send_email(email, message.subject, message.body, html, about=about, event=event)


def queue_composed(template: str, email: str, user: Any, payload: dict[str, Any]) -> Notification:
    with translation.override(user.language or None):
        subject = subject_of(template, {"user": user, "current_site": site()})
    return direct.send_email(
        email,
        subject,
        about=direct.topic(user),
        event=event_of(template),
        compose=f"carewatch.platform.accounts.mails.{payload['compose']}",
        payload=payload,
    )


def subject_of(template_prefix: str, context: dict[str, Any]) -> str:
    subject = render_to_string(f"{template_prefix}_subject.txt", context)
    return get_adapter().format_email_subject(" ".join(subject.split()))


def queue_confirmation(address: EmailAddress, signup: bool) -> Notification:
    template = CONFIRM_SIGNUP if signup else CONFIRM
    payload = {"compose": "confirmation_message", "address": address.pk, "template": template}
    return queue_composed(template, address.email, address.user, payload)


def queue_password_reset(user: Any, email: str) -> Notification:
    payload = {"compose": "password_reset_message", "user": user.pk}
    return queue_composed(RESET, email, user, payload)


def render(template: str, email: str, user: Any, context: dict[str, Any]) -> direct.Message:
    context |= {"user": user, "email": email, "current_site": site()}
    with translation.override(user.language or None):
        message = get_adapter().render_mail(template, email, context)
    html = next((body for body, kind in message.alternatives if kind == "text/html"), "")
    return direct.Message(str(message.subject), str(message.body), str(html))


def confirmation_message(notification: Notification) -> direct.Message | None:
    """Composer: the confirmation link, signed now; nothing once the address is confirmed."""
    address = EmailAddress.objects.filter(pk=notification.payload["address"], verified=False)
    found = address.select_related("user").first()
    if found is None or found.email != notification.address:
        return None
    key = EmailConfirmationHMAC(found).key
    url = settings.SITE_URL + reverse("account_confirm_email", args=[key])
    context = {"key": key, "activate_url": url}
    return render(notification.payload["template"], found.email, found.user, context)


def password_reset_message(notification: Notification) -> direct.Message | None:
    """Composer: a reset link valid from now (the token depends on the user's state)."""
    user = User.objects.filter(pk=notification.payload["user"], is_active=True).first()
    if user is None:
        return None
    key = app_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    uid = user_pk_to_url_str(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": key})
    context = {"password_reset_url": settings.SITE_URL + path, "uid": uid, "key": key}
    return render(RESET, notification.address, user, context)
