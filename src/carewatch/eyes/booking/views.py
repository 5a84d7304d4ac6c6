"""Public pages: no account needed. A booking's own page is reached only through the
unguessable token in its link; anything unknown is a 404 that says what to do."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carewatch.eyes.booking import actions, limits, slots
from carewatch.eyes.booking.forms import PROBLEMS, BookingForm, FinderForm, SlotForm
from carewatch.eyes.booking.models import Booking, Centre, Status


def not_found(request: HttpRequest, sentence: str) -> HttpResponse:
    return render(request, "booking/not_found.html", {"sentence": sentence}, status=404)


def public_centre(request: HttpRequest, clinic_slug: str) -> Centre | None:
    centres = Centre.objects.filter(public=True).select_related("clinic")
    return centres.prefetch_related("hours").filter(clinic__slug=clinic_slug).first()


NO_CENTRE = gettext_lazy(
    "We do not know that screening centre: choose one from the list of centres."
)


def centre_list(request: HttpRequest) -> HttpResponse:
    form = FinderForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    centres = Centre.objects.filter(public=True).select_related("clinic").prefetch_related("hours")
    if query:
        centres = centres.filter(Q(city__icontains=query) | Q(pincode__startswith=query))
    return render(request, "booking/centre_list.html", {"centres": centres, "query": query})


def centre_detail(request: HttpRequest, clinic_slug: str) -> HttpResponse:
    centre = public_centre(request, clinic_slug)
    if centre is None:
        return not_found(request, str(NO_CENTRE))
    days = slots.by_day(centre.free_slots(timezone.now()))
    return render(request, "booking/centre_detail.html", {"centre": centre, "days": days})


def book(request: HttpRequest, clinic_slug: str) -> HttpResponse:
    centre = public_centre(request, clinic_slug)
    if centre is None:
        return not_found(request, str(NO_CENTRE))
    chosen = request.GET.get("slot", "")
    initial = {"slot": chosen, "language": request.LANGUAGE_CODE}
    form = BookingForm(request.POST or None, centre=centre, now=timezone.now(), initial=initial)
    if request.method == "GET" and chosen:
        warn_about_link(request, form, chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if limits.address_over_limit(request.META.get("REMOTE_ADDR", "")):
            messages.error(request, TOO_MANY_FROM_HERE)
            context = {"centre": centre, "form": form}
            return render(request, "booking/book.html", context, status=429)
        if limits.contact_over_limit(data["email"], data["phone"]):
            messages.error(request, limits.TOO_MANY_TODAY)
            context = {"centre": centre, "form": form}
            return render(request, "booking/book.html", context, status=429)
        try:
            booking = actions.book(centre, form.cleaned_data["slot"], form.details())
        except actions.SlotTaken:
            form.add_error("slot", PROBLEMS[slots.Problem.FULL])
        else:
            messages.success(request, _("Your screening is booked."))
            return redirect(booking)
    return render(request, "booking/book.html", {"centre": centre, "form": form})


TOO_MANY_FROM_HERE = gettext_lazy(
    "Too many bookings from this connection in the last hour: wait an hour, or call the centre."
)


def warn_about_link(request: HttpRequest, form: SlotForm, chosen: str) -> None:
    """A time from an old or edited link: say why it cannot be booked before typing starts."""
    check = SlotForm({"slot": chosen}, centre=form.centre, now=form.now)
    if not check.is_valid():
        messages.warning(request, str(check.errors["slot"][0]))


NO_BOOKING = gettext_lazy(
    "This booking link is not valid: open the link from your confirmation message, "
    "or book again from the list of centres."
)


def private(request: HttpRequest, token: str) -> HttpResponse:
    booking = Booking.objects.select_related("centre__clinic").filter(token=token).first()
    if booking is None:
        return not_found(request, str(NO_BOOKING))
    return show(request, booking)


def show(request: HttpRequest, booking: Booking, move_form: SlotForm | None = None) -> HttpResponse:
    if move_form is None and booking.status == Status.BOOKED:
        initial = {"slot": booking.start.isoformat()}
        move_form = SlotForm(centre=booking.centre, now=timezone.now(), initial=initial)
    context = {"booking": booking, "Status": Status, "move_form": move_form}
    return render(request, "booking/private.html", context)


@require_POST
def move(request: HttpRequest, token: str) -> HttpResponse:
    booking = Booking.objects.select_related("centre__clinic").filter(token=token).first()
    if booking is None:
        return not_found(request, str(NO_BOOKING))
    if booking.status != Status.BOOKED:
        messages.info(request, _("This booking was already cancelled or used: nothing changed."))
        return redirect(booking)
    form = SlotForm(request.POST, centre=booking.centre, now=timezone.now())
    if request.POST.get("slot") == booking.start.isoformat():
        return redirect(booking)  # the time it already has: nothing to do
    if form.is_valid():
        try:
            actions.move(booking, form.cleaned_data["slot"])
            actions.confirm(booking)  # only the link's holder can move it
        except actions.SlotTaken:
            form.add_error("slot", PROBLEMS[slots.Problem.FULL])
        else:
            messages.success(request, _("Your booking is moved; we sent you the new time."))
            return redirect(booking)
    return show(request, booking, form)


@require_POST
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link's holder asks for reminders: the address or number is theirs."""
    booking = Booking.objects.filter(token=token).first()
    if booking is None:
        return not_found(request, str(NO_BOOKING))
    if actions.confirm(booking):
        messages.success(request, _("Thank you: we will remind you the day before."))
    return redirect(booking)


@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking = Booking.objects.filter(token=token).first()
    if booking is None:
        return not_found(request, str(NO_BOOKING))
    if actions.cancel(booking):
        messages.success(request, _("Your booking is cancelled; the time is free for others."))
    else:
        messages.info(request, _("This booking was already cancelled or used: nothing changed."))
    return redirect(booking)
