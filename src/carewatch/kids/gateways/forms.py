from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carewatch.kids.gateways.commands import MAX_INTERVAL_S, MIN_INTERVAL_S, CommandKind
from carewatch.kids.gateways.models import CommandKind as CommandChoices
from carewatch.kids.tracker.models import Child, Protocol


class CommandForm(forms.Form):
    """One form for every command; the fields a command does not use are ignored."""

    kind = forms.ChoiceField(label=_("Command"), choices=CommandChoices.choices)
    seconds = forms.IntegerField(
        label=_("Report every (seconds)"),
        required=False,
        min_value=MIN_INTERVAL_S,
        max_value=MAX_INTERVAL_S,
        help_text=_("For the reporting interval. 300 (5 minutes) saves the battery."),
    )
    slot = forms.TypedChoiceField(
        label=_("SOS number slot"),
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        required=False,
    )
    phone = forms.CharField(
        label=_("SOS phone number"),
        max_length=24,
        required=False,
        help_text=_("With the country code, e.g. +919812345678. Empty clears the slot."),
    )
    periods = forms.CharField(
        label=_("Silent periods"),
        max_length=60,
        required=False,
        help_text=_("School hours, e.g. 08:00-12:30, 13:30-15:00 (at most 4). Empty ends it."),
    )
    language = forms.IntegerField(
        label=_("Watch language code"),
        required=False,
        min_value=0,
        max_value=99,
        help_text=_("0 is English on most watches; see the watch’s manual."),
    )
    timezone = forms.DecimalField(
        label=_("Time zone (hours from UTC)"),
        required=False,
        max_digits=4,
        decimal_places=2,
        help_text=_("India is 5.5."),
    )

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = CommandKind(data["kind"])
        if kind is CommandKind.INTERVAL:
            return {"seconds": data.get("seconds")}
        if kind is CommandKind.SOS_NUMBER:
            return {"slot": data.get("slot"), "phone": data.get("phone", "")}
        if kind is CommandKind.SILENCE:
            return {"periods": data.get("periods", "")}
        if kind is CommandKind.LANGUAGE:
            return {"language": data.get("language"), "timezone": data.get("timezone")}
        return {}


class PhoneForm(forms.Form):
    protocol = forms.ChoiceField(
        label=_("App on the phone"),
        choices=[
            (Protocol.OWNTRACKS.value, _("OwnTracks")),
            (Protocol.OSMAND.value, _("Traccar Client")),
        ],
        widget=forms.RadioSelect,
        initial=Protocol.OWNTRACKS.value,
    )
    child = forms.ModelChoiceField(queryset=Child.objects.none(), label=_("Who carries it?"))

    def __init__(self, *args: Any, family: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = family.children.all()  # type: ignore[attr-defined]
