from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carewatch.kids.tracker.models import AlertSetting, Child, EventKind, Place
from carewatch.platform.notify.transports import KIND_CHOICES

WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


class ChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = ["name", "birth_year"]
        help_texts = {"birth_year": _("Optional. We only keep the year.")}

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data["birth_year"]
        this_year = dt.date.today().year
        if year is not None and not this_year - 18 <= year <= this_year:
            raise forms.ValidationError(
                _("Enter a birth year between %(low)s and %(high)s.")
                % {"low": this_year - 18, "high": this_year}
            )
        return year


class PairingForm(forms.Form):
    identifier = forms.CharField(
        label=_("Device number (IMEI)"),
        max_length=32,
        help_text=_("Printed on the box and in the watch’s settings."),
    )
    code = forms.CharField(
        label=_("Pairing code"), max_length=16, help_text=_("Printed on your order.")
    )
    child = forms.ModelChoiceField(queryset=Child.objects.none(), label=_("Who wears it?"))

    def __init__(self, *args: Any, family: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = family.children.all()  # type: ignore[attr-defined]


class PlaceForm(forms.ModelForm):
    active_days = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Active on"),
        help_text=_("Leave empty to watch this place at all times."),
    )

    class Meta:
        model = Place
        fields = [
            "name",
            "kind",
            "lat",
            "lon",
            "radius_m",
            "active_days",
            "active_from",
            "active_until",
        ]
        widgets = {
            "active_from": forms.TimeInput(attrs={"type": "time"}),
            "active_until": forms.TimeInput(attrs={"type": "time"}),
            "lat": forms.NumberInput(attrs={"step": "any"}),
            "lon": forms.NumberInput(attrs={"step": "any"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon, radius = data.get("lat"), data.get("lon"), data.get("radius_m")
        if lat is None or lon is None:
            raise forms.ValidationError(
                _("Choose the place on the map, or type its latitude and longitude.")
            )
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
            raise forms.ValidationError(
                _("That is not a real position. Choose the place on the map.")
            )
        if radius is None or not 30 <= radius <= 5000:
            self.add_error("radius_m", _("Choose a radius between 30 and 5,000 metres."))
        if bool(data.get("active_from")) != bool(data.get("active_until")):
            self.add_error(
                "active_until", _("Give both the start and the end of the active hours.")
            )
        return data


class AlertSettingForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        choices=[(k.value, k.label) for k in EventKind if k != EventKind.SOS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Tell me about"),
        help_text=_("SOS always reaches you on every channel, even in quiet hours."),
    )
    channel_kinds = forms.MultipleChoiceField(
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("By"),
        help_text=_("Leave empty to use every channel you have set up."),
    )

    class Meta:
        model = AlertSetting
        fields = ["kinds", "channel_kinds", "quiet_from", "quiet_until"]
        widgets = {
            "quiet_from": forms.TimeInput(attrs={"type": "time"}),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}),
        }
