from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from carewatch.eyes.booking import limits, slots
from carewatch.eyes.booking.actions import Details, check
from carewatch.eyes.booking.models import WEEKDAYS, Centre
from carewatch.eyes.screening.forms import PatientContactChecks

PROBLEMS = {
    slots.Problem.MALFORMED: _("That time is not one we know: choose a time from the list."),
    slots.Problem.PAST: _("That time has already passed: choose a later time from the list."),
    slots.Problem.TOO_FAR: _(
        "Bookings open two weeks ahead: choose a time from the list, or come back later."
    ),
    slots.Problem.CLOSED: _("The centre is closed at that time: choose a time from the list."),
    slots.Problem.NOT_A_SLOT: _("Appointments start at set times: choose a time from the list."),
    slots.Problem.FULL: _("That time is fully booked: choose another time from the list."),
}


class FinderForm(forms.Form):
    q = forms.CharField(required=False, max_length=80)


def slot_choices(free: list[slots.Slot]) -> list[Any]:
    """Free times grouped by day, for a select that works the same on every phone."""
    groups: list[Any] = [("", _("Choose a time"))]
    for day, day_slots in slots.by_day(free):
        times = [(s.start.isoformat(), formats.time_format(s.start, "H:i")) for s in day_slots]
        groups.append((formats.date_format(day, "l j F"), times))
    return groups


class SlotForm(forms.Form):
    """A free time of the centre; a stale or typed-in time gets a sentence, not a crash."""

    slot = forms.CharField(label=_("Time"), widget=forms.Select)

    def __init__(self, *args: Any, centre: Centre, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.centre, self.now = centre, now
        self.fields["slot"].widget.choices = slot_choices(centre.free_slots(now))

    def clean_slot(self) -> datetime:
        start = slots.parse_start(self.cleaned_data["slot"], self.centre.plan())
        found = slots.Problem.MALFORMED if start is None else check(self.centre, start, self.now)
        if found is not None or start is None:
            raise forms.ValidationError(PROBLEMS[found or slots.Problem.MALFORMED])
        return start


class BookingForm(PatientContactChecks, SlotForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date of birth as day, month and year.")},
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=24,
        required=False,
        help_text=_("For the confirmation and reminder by SMS, e.g. 98765 43210."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        error_messages={"invalid": _("Enter an e-mail address like name@example.com.")},
    )
    language = forms.ChoiceField(label=_("Language for messages"), choices=settings.LANGUAGES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = data.get("phone") or data.get("email")
        if not given and not self.has_error("phone") and not self.has_error("email"):
            raise forms.ValidationError(
                _("Enter a mobile number or an e-mail address, so we can send your confirmation.")
            )
        if given and not self.errors:
            problem = limits.contact_problem(data.get("email", ""), data.get("phone", ""), self.now)
            if problem:
                raise forms.ValidationError(problem)
        return data

    def details(self) -> Details:
        data = self.cleaned_data
        fields = ("name", "date_of_birth", "phone", "email", "language")
        return Details(**{name: data[name] for name in fields})


class CentreForm(forms.ModelForm):
    class Meta:
        model = Centre
        fields = [
            "public", "address", "city", "pincode", "phone", "price_rupees", "slot_minutes",
            "per_slot", "directions", "referral_language",
        ]  # fmt: skip
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


class HoursForm(forms.Form):
    """One line per weekday: both times for an open day, neither for a closed one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, label in WEEKDAYS:
            widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=label, required=False, widget=widget
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=label, required=False, widget=widget
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day, label in WEEKDAYS:
            opens, closes = data.get(f"opens_{day}"), data.get(f"closes_{day}")
            if (opens is None) != (closes is None) or (opens and closes and closes <= opens):
                self.add_error(
                    f"closes_{day}",
                    _(
                        "%(day)s: enter an opening time before the closing time, "
                        "or leave both empty for a closed day."
                    )
                    % {"day": label},
                )
        return data

    def days(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(label, self[f"opens_{d}"], self[f"closes_{d}"]) for d, label in WEEKDAYS]

    def hours(self) -> dict[int, tuple[time, time]]:
        data = self.cleaned_data
        return {
            day: (data[f"opens_{day}"], data[f"closes_{day}"])
            for day, _label in WEEKDAYS
            if data.get(f"opens_{day}")
        }
