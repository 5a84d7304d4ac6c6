from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carewatch.eyes.screening.models import CONSENT_WORDING, ConsentKind, Patient
from carewatch.platform.accounts.models import Clinic
from carewatch.platform.lib.phones import normalise_phone


class PatientContactChecks:
    """What the desk's registration and the public booking form both check, the same way."""

    cleaned_data: dict[str, Any]

    def clean_phone(self) -> str:
        """Stored as E.164, as SMS providers want it and as the desk matches bookings."""
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        phone = normalise_phone(raw)
        if phone is None:
            raise forms.ValidationError(
                _("Enter a 10-digit mobile number, or + and the country code for another country.")
            )
        return phone

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate() or born.year < 1900:
            raise forms.ValidationError(_("Enter the date of birth as day, month and year."))
        return born


class PatientForm(PatientContactChecks, forms.ModelForm):
    consent_screening = forms.BooleanField(
        label=CONSENT_WORDING[ConsentKind.SCREENING],
        error_messages={
            "required": _(
                "Screening needs the patient's consent: read it to them and tick the box."
            )
        },
    )
    consent_research = forms.BooleanField(
        label=CONSENT_WORDING[ConsentKind.RESEARCH], required=False
    )

    class Meta:
        model = Patient
        fields = [
            "name", "date_of_birth", "sex", "phone", "email", "language", "diabetes_type",
            "diabetes_since", "number",
        ]  # fmt: skip
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"number": _("Leave empty to get a new number.")}

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.fields["number"].required = False

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if number and Patient.objects.filter(clinic=self.clinic, number=number).exists():
            raise forms.ValidationError(
                _("Another patient has this number: check it, or leave it empty for a new one.")
            )
        return number

    def clean_diabetes_since(self) -> int:
        year: int = self.cleaned_data["diabetes_since"]
        if not 1900 <= year <= date.today().year:
            raise forms.ValidationError(
                _("Enter the year diabetes was found, such as 2015, not later than this year.")
            )
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email") and not self.has_error("email"):
            raise forms.ValidationError(
                _("Enter a mobile number or an e-mail address so the patient can get the report.")
            )
        born, since = data.get("date_of_birth"), data.get("diabetes_since")
        if born and since and since < born.year:
            self.add_error(
                "diabetes_since", _("Diabetes cannot be found before birth: check the year.")
            )
        return data


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(choices=ConsentKind.choices, label=_("Consent for"))
    given = forms.TypedChoiceField(
        label=_("The patient's decision"),
        choices=[("yes", _("Agrees")), ("no", _("Does not agree, or withdraws"))],
        coerce=lambda value: value == "yes",
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or patient number"), required=False, max_length=120)


class PhotoInput(forms.ClearableFileInput):
    def __init__(self) -> None:
        # No `capture` attribute: it would force the camera on phones and hide the files that
        # fundus cameras export; without it a phone offers both the camera and files.
        super().__init__(attrs={"accept": "image/jpeg,image/png,application/dicom,.dcm"})


class CameraInput(forms.ClearableFileInput):
    def __init__(self) -> None:
        # A second input for phones: `capture` opens the back camera directly.
        super().__init__(attrs={"accept": "image/*", "capture": "environment"})


class UploadForm(forms.Form):
    """A photo of either eye or both; each is checked on its own so a good one is never lost.

    Each eye takes a file (from a fundus camera's export, or dropped on the box) or a photo
    from the phone's camera; both arrive as plain multipart fields, so it works without
    JavaScript, which only adds dropping, previews and progress (static/screening/upload.js).
    """

    right = forms.FileField(label=_("Right eye (OD)"), required=False, widget=PhotoInput())
    right_camera = forms.FileField(
        label=_("Take a photo of the right eye"), required=False, widget=CameraInput()
    )
    left = forms.FileField(label=_("Left eye (OS)"), required=False, widget=PhotoInput())
    left_camera = forms.FileField(
        label=_("Take a photo of the left eye"), required=False, widget=CameraInput()
    )

    def boxes(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[eye], self[f"{eye}_camera"]) for eye in ("right", "left")]

    def chosen(self, eye: str) -> list[UploadedFile]:
        """What was sent for that eye: none, one, or (a mistake) a file and a camera photo."""
        data = self.cleaned_data
        return [f for f in (data.get(eye), data.get(f"{eye}_camera")) if f]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in self.fields) and not self.errors:
            raise forms.ValidationError(_("Choose a photo of the right eye, the left eye or both."))
        return data


class EraseForm(forms.Form):
    """Erasure cannot be undone: the admin types the number, so a slip of the finger on the
    wrong patient's page cannot erase them."""

    number = forms.CharField(
        label=_("Type the patient number to confirm"),
        max_length=32,
        error_messages={"required": _("Type the patient number to confirm the erasure.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_(
            "For example: the patient asked in writing. Kept in the audit log, so do not write "
            "the patient's name."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Write why the patient's data is erased.")},
    )

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_number(self) -> str:
        number: str = self.cleaned_data["number"].strip()
        if number != self.patient.number:
            raise forms.ValidationError(
                _("This is not this patient's number: type %(number)s exactly to confirm."),
                params={"number": self.patient.number},
            )
        return number


class AuditFilterForm(forms.Form):
    patient = forms.CharField(label=_("Patient number"), required=False, max_length=32)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the first day as day, month and year.")},
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the last day as day, month and year.")},
    )

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Actions are codes other apps add freely (portal.view, report.download...): offer
        # the ones this centre's log holds rather than a list that would go stale.
        field: Any = self.fields["action"]
        field.choices = [("", _("All actions"))] + [(a, a) for a in actions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The last day is before the first: swap them."))
        return data
