"""Forms for adding channels: each validates its kind's `value` and says what to fix."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carewatch.platform.lib import http
from carewatch.platform.lib.phone_field import PhoneField
from carewatch.platform.notify.transports.webhook import new_secret


class ChannelForm(forms.Form):
    kind: str
    name = forms.CharField(
        label=gettext_lazy("Name (optional)"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("A name you will recognise in the list, e.g. “Mum’s phone”."),
    )

    def value(self) -> dict[str, Any]:
        raise NotImplementedError

    def default_name(self) -> str:
        return ""


class EmailChannelForm(ChannelForm):
    kind = "email"
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        error_messages={"invalid": gettext_lazy("Enter an e-mail address like name@example.com.")},
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).lower()

    def value(self) -> dict[str, Any]:
        return {"email": self.cleaned_data["email"]}

    def default_name(self) -> str:
        return str(self.cleaned_data["email"])


class SmsChannelForm(ChannelForm):
    kind = "sms"
    phone = PhoneField(
        label=gettext_lazy("Mobile number"),
        help_text=gettext_lazy("E.g. 98765 43210, or + and the country code: +44 7700 900123."),
    )

    def value(self) -> dict[str, Any]:
        return {"phone": self.cleaned_data["phone"]}

    def default_name(self) -> str:
        return str(self.cleaned_data["phone"])


class WebhookChannelForm(ChannelForm):
    kind = "webhook"
    url = forms.CharField(
        label=gettext_lazy("Address (URL)"),
        max_length=500,
        help_text=gettext_lazy(
            "We POST signed JSON to it, e.g. https://example.com/carewatch-hook."
        ),
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        if settings.PRODUCTION and urlsplit(url).scheme != "https":
            raise forms.ValidationError(
                _("The address must start with https:// so the messages are encrypted.")
            )
        try:
            http.check_url(url)
        except http.UnsafeURL as error:
            raise forms.ValidationError(str(error)) from None
        return url

    def value(self) -> dict[str, Any]:
        return {"url": self.cleaned_data["url"], "secret": new_secret()}

    def default_name(self) -> str:
        return urlsplit(self.cleaned_data["url"]).netloc


CHANNEL_FORMS: dict[str, type[ChannelForm]] = {
    form.kind: form for form in (EmailChannelForm, SmsChannelForm, WebhookChannelForm)
}


def _b64url(text: Any, size: int) -> bool:
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_\-]+={0,2}", text):
        return False
    try:
        raw = base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        return False
    return len(raw) == size and (size != 65 or raw[0] == 4)


def clean_subscription(data: Any) -> dict[str, Any]:
    """A browser PushSubscription (its toJSON()), checked; raises ValueError with a sentence."""
    if not isinstance(data, dict):
        raise ValueError(_("The browser sent no push subscription: reload the page and try again."))
    endpoint, keys = data.get("endpoint"), data.get("keys")
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        raise ValueError(_("The browser sent no push address: reload the page and try again."))
    if settings.PRODUCTION and urlsplit(endpoint).scheme != "https":
        raise ValueError(_("The browser's push address does not use https: use another browser."))
    try:
        http.check_url(endpoint)
    except http.UnsafeURL as error:
        raise ValueError(str(error)) from None
    usable = isinstance(keys, dict) and _b64url(keys.get("p256dh"), 65)
    if not (usable and isinstance(keys, dict) and _b64url(keys.get("auth"), 16)):
        raise ValueError(_("The browser sent unusable push keys: reload the page and try again."))
    return {"endpoint": endpoint, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}
