from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carewatch.platform.support.models import MAX_MESSAGE


def message_field(label: Any, required_message: Any) -> forms.CharField:
    field = forms.CharField(
        label=label,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": required_message},
    )
    field.error_messages["max_length"] = _(
        "Please keep your message under %(limit_value)s characters (it has %(show_value)s now)."
    )
    return field


class ReplyForm(forms.Form):
    text = message_field(_("Your message"), _("Write your message first."))


class StaffAnswerForm(forms.Form):
    text = message_field(_("Answer"), _("Write the answer before sending it."))


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete this conversation and every message in it"),
        error_messages={"required": _("Tick the box to confirm that you want to delete it.")},
    )
