"""The doctor's decision per eye, the note, and the amendment reason."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from carewatch.eyes.review.snapshot import AGREE, DecisionError, EyeDecision, changes, check
from carewatch.eyes.wording import DME_RISKS, STAGES

AGREE_CHOICE, OVERRIDE_CHOICE = "agree", "override"
MESSAGES = {
    "grade": _("Choose a grade from 0 to 4."),
    "dme_risk": _("Choose a macular edema risk of 0, 1 or 2."),
    "reason": _("Give a reason for changing the finding: it is kept with the signed report."),
    "no_photo": _("There is no photo of this eye to grade: choose Agree, or take a photo first."),
    "needs_grade": _(
        "The software could not grade this photo: choose a grade to grade it yourself."
    ),
    "agree_but_changed": _(
        "You chose Agree but picked a new value: choose Change to keep it, or set it back to "
        "Unchanged."
    ),
    "no_change": _(
        "Choose a different grade, macular edema risk or urgent referral, or choose Agree if "
        "nothing changes."
    ),
    "urgent_required": _(
        "Proliferative retinopathy or macular edema near the centre of vision always needs "
        "urgent referral: change the grade or the edema risk as well, or keep it urgent."
    ),
}
URGENT_CHOICES = {"yes": True, "no": False}


class EyeForm(forms.Form):
    """Agree with the eye as it stands, or change its grade and/or DME risk with a reason."""

    # No decision is preselected: a doctor who signs has looked at each eye and chosen.
    choice = forms.ChoiceField(widget=forms.RadioSelect)
    grade = forms.TypedChoiceField(
        label=_("Grade (ICDR)"), coerce=int, empty_value=None, required=False
    )
    dme_risk = forms.TypedChoiceField(
        label=_("Macular-edema risk"), coerce=int, empty_value=None, required=False
    )
    urgent = forms.TypedChoiceField(
        label=_("Urgent referral to an ophthalmologist"),
        choices=[
            ("", _("As the grades say")),
            ("yes", _("Yes: vision-threatening, refer urgently")),
            ("no", _("No")),
        ],
        coerce=URGENT_CHOICES.__getitem__,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, eye: dict[str, Any], amending: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.eye = eye
        agree = _("Keep as signed") if amending else _("Agree")
        choice = cast(forms.ChoiceField, self.fields["choice"])
        choice.label = _("Decision")
        choice.error_messages["required"] = (
            _("Choose Keep as signed or Change for this eye.")
            if amending
            else _("Choose Agree or Change for this eye.")
        )
        choice.choices = [
            (AGREE_CHOICE, agree),
            (OVERRIDE_CHOICE, _("Change")),
        ]
        keep = ("", _("Unchanged"))
        cast(forms.ChoiceField, self.fields["grade"]).choices = [keep] + [
            (k, f"{k} · {v}") for k, v in STAGES.items()
        ]
        cast(forms.ChoiceField, self.fields["dme_risk"]).choices = [keep] + [
            (k, f"{k} · {v}") for k, v in DME_RISKS.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        decision = self.raw_decision()
        if data.get("choice") != OVERRIDE_CHOICE:
            # A new value under "Agree" would be lost silently: ask which one is meant.
            if changes(self.eye, decision):
                raise forms.ValidationError(MESSAGES["agree_but_changed"])
            return data
        if not changes(self.eye, decision):
            raise forms.ValidationError(MESSAGES["no_change"])
        try:
            check(self.eye, decision)
        except DecisionError as error:
            raise forms.ValidationError(MESSAGES[error.code]) from None
        return data

    def raw_decision(self) -> EyeDecision:
        data = self.cleaned_data
        return EyeDecision(
            data.get("grade"), data.get("dme_risk"), data.get("reason") or "", data.get("urgent")
        )

    def decision(self) -> EyeDecision:
        if self.cleaned_data["choice"] != OVERRIDE_CHOICE:
            return AGREE
        return self.raw_decision()


class SignForm(forms.Form):
    doctor_note = forms.CharField(
        label=_("Doctor's note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the report. Optional."),
    )
    # The version the doctor was looking at: a second click, or a colleague signing first,
    # no longer matches and is told so instead of adding a version.
    seen_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # Off unless ticked, for every version: a map of where the software looked reads as a
    # finding to a patient, so only the doctor who signs may decide to show it.
    heatmap_for_patient = forms.BooleanField(
        label=_("Show the heatmaps on the patient's copy of the report"),
        required=False,
        help_text=_(
            "Off unless you tick it. A heatmap shows where the software looked, not a "
            "diagnosis; the staff copy always shows it."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I have checked both eyes and sign this version as mine."),
        error_messages={"required": _("Tick the box to confirm that you sign this version.")},
    )


class AmendForm(SignForm):
    amendment_reason = forms.CharField(
        label=_("Why is the signed report being amended?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for the amendment: it is kept with it.")},
    )

    field_order = [
        "amendment_reason",
        "doctor_note",
        "seen_version",
        "heatmap_for_patient",
        "confirm",
    ]
