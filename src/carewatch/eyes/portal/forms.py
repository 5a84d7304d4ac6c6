from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from carewatch.eyes.portal.models import Contact, Feedback, Testimonial
from carewatch.eyes.screening.models import Patient


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code we sent you"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["satisfaction", "comment"]
        widgets = {
            "satisfaction": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        }
        help_texts = {"satisfaction": _("1 means not at all, 5 means very satisfied.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A model field's choices start with a blank "-------": a radio list needs only 1-5.
        self.fields["satisfaction"].choices = [(n, str(n)) for n in range(1, 6)]  # type: ignore[attr-defined]


class PreferencesForm(forms.Form):
    contact_by = forms.ChoiceField(label=_("Contact me by"), choices=Contact.choices)
    language = forms.ChoiceField(label=_("My language"), choices=settings.LANGUAGES)
    reminders = forms.BooleanField(
        label=_("Remind me when it is time to be screened again"), required=False
    )

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_contact_by(self) -> str:
        choice: str = self.cleaned_data["contact_by"]
        if choice == Contact.SMS and not self.patient.phone:
            raise forms.ValidationError(
                _("Your centre has no mobile number for you: choose e-mail, or ask them to add it.")
            )
        if choice == Contact.EMAIL and not self.patient.email:
            raise forms.ValidationError(
                _("Your centre has no e-mail address for you: choose SMS, or ask them to add it.")
            )
        return choice


class TestimonialForm(forms.ModelForm):
    class Meta:
        model = Testimonial
        fields = ["text", "consent"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "maxlength": 600})}
        labels = {
            "consent": _(
                "I agree that CareWatch may publish these words on its website with my first "
                "name only. I can withdraw this at any time."
            )
        }
        error_messages = {
            "consent": {
                "required": _(
                    "Tick the box to agree to publication; nothing is published without it."
                )
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].required = True
