"""The desk's day list: today's bookings and walk-ins, check-in into registration or an
existing patient record. Staff of the centre only (`clinic_role_required`: 404 otherwise).

`registration_initial` and `registered` are the two hooks the screening app's register
view calls, so a booking's details are typed once, by the patient."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carewatch.eyes.booking import actions
from carewatch.eyes.booking.forms import CentreForm, HoursForm
from carewatch.eyes.booking.models import Booking, Centre, OpeningHours, Status
from carewatch.eyes.screening import audit
from carewatch.eyes.screening.audit import Action, by_staff
from carewatch.eyes.screening.models import Patient
from carewatch.platform.accounts.models import Clinic, ClinicRole
from carewatch.platform.accounts.permissions import (
    ANY_STAFF,
    SignedInRequest,
    clinic_role_required,
    has_clinic_role,
)
from carewatch.platform.lib.dates import parse_day
from carewatch.platform.lib.phones import normalise_phone, same_phone


def centre_of(clinic: Clinic) -> Centre:
    """Every clinic gets a (private) centre row the first time its desk is opened."""
    centre, _created = Centre.objects.get_or_create(
        clinic=clinic,
        defaults={"address": clinic.address, "city": clinic.city, "phone": clinic.phone},
    )
    return centre


def bookings_here(clinic: Clinic) -> QuerySet[Booking]:
    return Booking.objects.filter(centre__clinic=clinic)


def day_from(request: HttpRequest) -> dt.date:
    raw = request.GET.get("day", "")
    day = parse_day(raw)
    if day is not None:
        return day
    if raw:
        messages.warning(request, _("That date is not valid: here is today's list."))
    return timezone.localdate()


def matches(booking: Booking, patients: list[Patient]) -> list[Patient]:
    return [p for p in patients if booking.phone and same_phone(p.phone, booking.phone)]


@clinic_role_required(*ANY_STAFF)
def day_list(request: SignedInRequest, clinic: Clinic) -> HttpResponse:
    centre, day = centre_of(clinic), day_from(request)
    begin = timezone.make_aware(dt.datetime.combine(day, dt.time(0)))
    rows = list(
        Booking.objects.filter(centre=centre, start__gte=begin, start__lt=begin + dt.timedelta(1))
        .select_related("patient")
        .order_by("start", "id")
    )
    # Candidates by the last digits, compared exactly in Python: phones are typed freely.
    endings = {b.phone[-4:] for b in rows if b.phone and not b.patient_id}
    query = Q(pk__in=[])
    for ending in endings:
        query |= Q(phone__endswith=ending)
    patients = list(Patient.objects.filter(query, clinic=centre.clinic))
    audit.record(by_staff(request, clinic), Action.DESK_VIEW)
    context = {
        "centre": centre,
        "day": day,
        "rows": [(b, matches(b, patients)) for b in rows],
        "Status": Status,
        "found": find_patients(request, centre),
        "phone": request.GET.get("phone", ""),
        "previous": day - dt.timedelta(1),
        "next": day + dt.timedelta(1),
        "is_admin": has_clinic_role(request.user, centre.clinic, ClinicRole.ADMIN),
    }
    return render(request, "booking/desk.html", context)


def find_patients(request: HttpRequest, centre: Centre) -> list[Patient] | None:
    """Patients of this centre with the searched phone number (for walk-ins and check-in)."""
    phone = normalise_phone(request.GET.get("phone", ""))
    if phone is None:
        return None
    candidates = Patient.objects.filter(clinic=centre.clinic, phone__endswith=phone[-4:])
    return [p for p in candidates if same_phone(p.phone, phone)]


@require_POST
@clinic_role_required(*ANY_STAFF)
def arrive(request: SignedInRequest, clinic: Clinic, booking_id: int) -> HttpResponse:
    """Check-in to an existing patient record (found by phone)."""
    booking = get_object_or_404(bookings_here(clinic), pk=booking_id)
    patient_id = request.POST.get("patient", "")
    patients = Patient.objects.filter(clinic=clinic)
    patient = get_object_or_404(patients, pk=patient_id if patient_id.isdigit() else 0)
    actions.do_arrive(by_staff(request, clinic), booking, patient)
    messages.success(request, _("%(name)s has arrived.") % {"name": patient.name})
    return redirect("screening:patient", clinic.slug, patient.pk)


@require_POST
@clinic_role_required(*ANY_STAFF)
def no_show(request: SignedInRequest, clinic: Clinic, booking_id: int) -> HttpResponse:
    booking = get_object_or_404(bookings_here(clinic), pk=booking_id)
    if not actions.mark_no_show(booking):
        messages.info(request, _("Only a booking still waiting can be marked as not come."))
    day = timezone.localtime(booking.start).date().isoformat()
    return redirect(reverse("desk:day", args=[clinic.slug]) + f"?day={day}")


@require_POST
@clinic_role_required(*ANY_STAFF)
def walk_in(request: SignedInRequest, clinic: Clinic, patient_id: int) -> HttpResponse:
    """A registered patient who walked in: recorded on today's list, then their record."""
    patient = get_object_or_404(Patient, clinic=clinic, pk=patient_id)
    actions.do_walk_in(by_staff(request, clinic), centre_of(clinic), patient)
    messages.success(request, _("%(name)s has arrived.") % {"name": patient.name})
    return redirect("screening:patient", clinic.slug, patient.pk)


@clinic_role_required(ClinicRole.ADMIN)
def centre_settings(request: SignedInRequest, clinic: Clinic) -> HttpResponse:
    centre = centre_of(clinic)
    current = {f"opens_{h.weekday}": h.opens for h in centre.hours.all()}
    current |= {f"closes_{h.weekday}": h.closes for h in centre.hours.all()}
    form = CentreForm(request.POST or None, instance=centre)
    hours = HoursForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid() and hours.is_valid():
        form.save()
        centre.hours.all().delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(centre=centre, weekday=day, opens=opens, closes=closes)
            for day, (opens, closes) in hours.hours().items()
        )
        messages.success(request, _("The centre's details and hours are saved."))
        return redirect("desk:settings", clinic.slug)
    return render(request, "booking/settings.html", {"form": form, "hours": hours})


# --- Receivers of screening's registration signals (connected in apps.py) -------------


def _booking_of(request: HttpRequest, clinic: Clinic) -> Booking | None:
    booking_id = request.GET.get("booking", "")
    if not booking_id.isdigit():
        return None
    booking = bookings_here(clinic).filter(pk=booking_id).first()
    if booking is None:
        raise Http404("No such booking.")
    return booking


def registration_initial(request: HttpRequest, clinic: Clinic, **_kwargs: Any) -> dict[str, object]:
    """The booking's details as the registration form's starting values."""
    booking = _booking_of(request, clinic)
    if booking is None:
        return {}
    fields = ("name", "date_of_birth", "phone", "email", "language")
    return {name: getattr(booking, name) for name in fields}


def registered(request: HttpRequest, patient: Patient, **_kwargs: Any) -> None:
    """After registration: the booking has arrived, or a walk-in joins today's list."""
    clinic = patient.clinic
    booking = _booking_of(request, clinic)
    if booking is not None:
        actions.do_arrive(by_staff(request, clinic), booking, patient)
    elif request.GET.get("walk_in"):
        actions.do_walk_in(by_staff(request, clinic), centre_of(clinic), patient)
