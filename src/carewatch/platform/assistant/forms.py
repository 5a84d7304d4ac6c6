from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carewatch.platform.assistant.text import MAX_QUESTION_CHARS


class AskForm(forms.Form):
    question = forms.CharField(label=_("Your question"), max_length=4000, strip=True)
    page = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label=_("Keep this conversation for 30 days so I can come back to it"), required=False
    )

    def clean_question(self) -> str:
        # Longer text is cut, not refused: a pasted message still gets an answer.
        return str(self.cleaned_data["question"])[: MAX_QUESTION_CHARS * 2]


class HandoverForm(forms.Form):
    note = forms.CharField(
        label=_("Anything to add for our team"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    email = forms.EmailField(label=_("Your e-mail"), required=False)
    phone = forms.CharField(label=_("or your mobile number"), required=False, max_length=20)

    def __init__(self, *args: object, guest: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.guest = guest
        if not guest:
            del self.fields["email"], self.fields["phone"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if self.guest and not (data.get("email") or data.get("phone")):
            raise forms.ValidationError(
                _("Give an e-mail address or a mobile number so that we can answer you.")
            )
        return data
