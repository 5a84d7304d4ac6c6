"""The form field for a mobile number: the platform's one phone rule (`phones.py`) with
one sentence for what to fix, used by every form that asks for a number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carewatch.platform.lib.phones import normalise_phone

PHONE_ERROR = _("Enter a 10-digit mobile number, or + and the country code for another country.")


class PhoneField(forms.CharField):
    """Cleans to E.164 ("+919876543210"); an empty optional field stays ""."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")

    def clean(self, value: Any) -> str:
        raw = str(super().clean(value)).strip()
        if not raw:
            return ""
        phone = normalise_phone(raw)
        if phone is None:
            raise forms.ValidationError(PHONE_ERROR, code="invalid")
        return phone
