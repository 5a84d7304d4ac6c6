from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carewatch.platform.accounts.models import Family


class FamilyForm(forms.ModelForm):
    class Meta:
        model = Family
        fields = ["name"]
        help_texts = {"name": _("For example “The Sharma family”. Only your family sees it.")}


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Their e-mail address"),
        help_text=_("We send them a link to join your family. It works for seven days."),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is this key for?"),
        max_length=60,
        help_text=_("For example “Priya’s phone”. You can revoke it at any time."),
    )
