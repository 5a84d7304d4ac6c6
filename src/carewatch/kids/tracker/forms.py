from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from django import forms
from django.utils.translation import gettext_lazy as _

from carewatch.kids.tracker.models import (
    EVENT_KIND_LABELS,
    PLACE_FIELDS,
    AlertSetting,
    Child,
    EventKind,
    Place,
    TrackerSettings,
)
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


MAX_POLYGON_POINTS = 100


class PolygonField(forms.JSONField):
    """[[lat, lon], ...] in a hidden input; empty (not "null" or "[]") when there is none."""

    def prepare_value(self, value: Any) -> Any:
        return "" if value in (None, []) else super().prepare_value(value)


class PlaceForm(forms.ModelForm):
    active_days = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Active on"),
        help_text=_("Leave empty to watch this place at all times."),
    )
    # Filled by the map when the parent draws an area; empty for a circle.
    polygon = PolygonField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The drawn area could not be read. Draw it again.")},
    )

    class Meta:
        model = Place
        fields = PLACE_FIELDS
        widgets = {
            "active_from": forms.TimeInput(attrs={"type": "time"}),
            "active_until": forms.TimeInput(attrs={"type": "time"}),
            "lat": forms.NumberInput(attrs={"step": "any"}),
            "lon": forms.NumberInput(attrs={"step": "any"}),
            "radius_m": forms.NumberInput(attrs={"step": "any"}),
        }

    def clean_polygon(self) -> list[list[float]]:
        return clean_polygon_points(self.cleaned_data.get("polygon"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        polygon_errors = self.errors.pop("polygon", None)
        if polygon_errors:  # the field is hidden: say it above the form
            raise forms.ValidationError(list(polygon_errors))
        if data.get("polygon"):
            # An area: its centre is where the map opens; it has no radius.
            data["lat"], data["lon"] = polygon_centre(data["polygon"])
            data["radius_m"] = None
        lat, lon, radius = data.get("lat"), data.get("lon"), data.get("radius_m")
        if lat is None or lon is None:
            raise forms.ValidationError(
                _("Choose the place on the map, or type its latitude and longitude.")
            )
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
            raise forms.ValidationError(
                _("That is not a real position. Choose the place on the map.")
            )
        if not data.get("polygon") and (radius is None or not 30 <= radius <= 5000):
            self.add_error("radius_m", _("Choose a radius between 30 and 5,000 metres."))
        if bool(data.get("active_from")) != bool(data.get("active_until")):
            self.add_error(
                "active_until", _("Give both the start and the end of the active hours.")
            )
        return data


def clean_polygon_points(value: Any) -> list[list[float]]:
    """[[lat, lon], ...] from the hidden field, or a sentence saying how to fix the drawing."""
    if value in (None, "", []):
        return []
    if not isinstance(value, list) or not all(_is_pair(p) for p in value):
        raise forms.ValidationError(_("The drawn area could not be read. Draw it again."))
    points = [[float(lat), float(lon)] for lat, lon in value]
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # a closed ring: the last corner repeats the first
    if len(points) < 3:
        raise forms.ValidationError(_("Draw an area with at least 3 corners."))
    if len(points) > MAX_POLYGON_POINTS:
        raise forms.ValidationError(
            _("Draw an area with at most %(max)s corners.") % {"max": MAX_POLYGON_POINTS}
        )
    if any(not (-90 <= lat <= 90 and -180 <= lon <= 180) for lat, lon in points):
        raise forms.ValidationError(
            _("A corner of the area is not a real position. Draw the area again.")
        )
    shape = shapely.Polygon([(lon, lat) for lat, lon in points])
    if not shape.is_valid or shape.area == 0:
        raise forms.ValidationError(
            _(
                "The edges of the area cross each other. "
                "Move the corners so the outline does not cross itself."
            )
        )
    return points


def _is_pair(point: Any) -> bool:
    return (
        isinstance(point, list | tuple)
        and len(point) == 2
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in point)
    )


def polygon_centre(points: list[list[float]]) -> tuple[float, float]:
    centre = shapely.Polygon([(lon, lat) for lat, lon in points]).centroid
    return round(centre.y, 6), round(centre.x, 6)


class AlertSettingForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        choices=[(k.value, EVENT_KIND_LABELS[k]) for k in EventKind if k != EventKind.SOS],
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


RETENTION_CHOICES = [
    (7, _("1 week")),
    (30, _("30 days")),
    (90, _("90 days")),
    (180, _("6 months")),
    (365, _("1 year")),
]


class RetentionForm(forms.ModelForm):
    retention_days = forms.TypedChoiceField(
        choices=RETENTION_CHOICES,
        coerce=int,
        label=_("Keep where the children were for"),
        help_text=_(
            "Older positions are deleted every night, and older alerts lose where they "
            "happened (what happened and when stays)."
        ),
    )

    class Meta:
        model = TrackerSettings
        fields = ["retention_days"]
