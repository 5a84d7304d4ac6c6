from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

CONNECTIVITY = [("", _("Any")), ("gps", "GPS"), ("wifi", "Wi-Fi"), ("lte", _("LTE (4G)"))]
USE_CHOICES = [
    ("school", _("School days: quiet in class")),
    ("calling", _("Calling the family")),
    ("swimming", _("Swimming and water play")),
    ("outdoors", _("Long days outdoors, trips")),
    ("budget", _("Keep the cost low")),
]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=80)
    connectivity = forms.ChoiceField(label=_("Connectivity"), choices=CONNECTIVITY, required=False)
    max_price = forms.DecimalField(
        label=_("Price up to (₹)"), required=False, min_value=0, max_digits=9, decimal_places=2
    )
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)


class GuideForm(forms.Form):
    age = forms.IntegerField(label=_("Child's age"), min_value=2, max_value=18)
    uses = forms.MultipleChoiceField(
        label=_("What will it be used for?"),
        choices=USE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
