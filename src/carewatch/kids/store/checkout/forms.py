from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.orders.models import Slot
from carewatch.kids.store.payments import cards
from carewatch.platform.lib.phone_field import PhoneField

FIRST_DELIVERY_DAYS, LAST_DELIVERY_DAYS = 2, 14


def delivery_dates(today: date) -> list[date]:
    """From two days ahead for two weeks; couriers do not deliver on Sundays."""
    days = (today + timedelta(days=n) for n in range(FIRST_DELIVERY_DAYS, LAST_DELIVERY_DAYS + 1))
    return [day for day in days if day.weekday() != 6]


class DetailsForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    phone = PhoneField(label=_("Mobile number"))
    address_line1 = forms.CharField(label=_("House, street"), max_length=200)
    address_line2 = forms.CharField(label=_("Area, landmark"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=80)
    state = forms.CharField(label=_("State"), max_length=80)
    pincode = forms.CharField(
        label=_("PIN code"),
        validators=[RegexValidator(r"^[1-9]\d{5}$", _("A PIN code has 6 digits."))],
    )
    delivery_date = forms.TypedChoiceField(label=_("Delivery date"), coerce=date.fromisoformat)
    delivery_slot = forms.ChoiceField(label=_("Delivery time"), choices=Slot.choices)
    # Never ticked for the customer; the address must still confirm by a link (double opt-in).
    news = forms.BooleanField(
        label=_("E-mail me when CareWatch publishes a new product (you can stop any time)"),
        required=False,
        initial=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = delivery_dates(timezone.localdate())
        self.fields["delivery_date"].choices = [  # type: ignore[attr-defined]
            (day.isoformat(), formats.date_format(day, "l j F")) for day in days
        ]
        for name, hint in AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = hint


AUTOCOMPLETE = {
    "name": "name",
    "email": "email",
    "phone": "tel-national",
    "address_line1": "address-line1",
    "address_line2": "address-line2",
    "city": "address-level2",
    "state": "address-level1",
    "pincode": "postal-code",
}


class NoValueInput(forms.TextInput):
    """Never writes a card number or CVC back into the page, even after an error."""

    def format_value(self, value: Any) -> None:
        return None


def card_input(autocomplete: str, size: int) -> NoValueInput:
    return NoValueInput(attrs={"autocomplete": autocomplete, "inputmode": "numeric", "size": size})


class CardForm(forms.Form):
    number = forms.CharField(
        label=_("Card number"), max_length=23, widget=card_input("cc-number", 20)
    )
    exp_month = forms.IntegerField(
        label=_("Expiry month (MM)"),
        min_value=1,
        max_value=12,
        widget=card_input("cc-exp-month", 2),
    )
    exp_year = forms.IntegerField(
        label=_("Expiry year (YY)"),
        min_value=0,
        max_value=2099,
        widget=card_input("cc-exp-year", 4),
    )
    cvc = forms.CharField(
        label=_("Security code (CVC)"), max_length=4, widget=card_input("cc-csc", 4)
    )

    def clean_number(self) -> str:
        number = cards.digits(self.cleaned_data["number"])
        if not cards.luhn_valid(number):
            raise forms.ValidationError(_("That card number is not valid. Check the digits."))
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month, year = data.get("exp_month"), data.get("exp_year")
        if month and year is not None and not cards.expiry_valid(month, year, timezone.localdate()):
            self.add_error("exp_month", _("The card has expired. Please use another card."))
        number, cvc = data.get("number"), data.get("cvc", "")
        brands = [cards.brand(number)] if number else ["card", "amex"]
        if "cvc" in data and not any(cards.cvc_valid(cvc, brand) for brand in brands):
            self.add_error("cvc", _("Enter the 3-digit code on the back of the card (4 on Amex)."))
        return data
