"""Every change to a booking goes through these functions: they check, write, and queue
the patient's message after the transaction commits (direct.py does the on_commit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from carewatch.eyes.booking import notices, slots
from carewatch.eyes.booking.models import Booking, Centre, Status
from carewatch.eyes.screening.audit import Action, Actor, record
from carewatch.eyes.screening.models import Patient


class SlotTaken(Exception):
    """Every place of the slot went to someone else first."""


@dataclass(frozen=True)
class Details:
    name: str
    date_of_birth: date
    phone: str
    email: str
    language: str


def check(centre: Centre, start: datetime, now: datetime) -> slots.Problem | None:
    taken = centre.bookings.holding_places().filter(start=start).count()
    return slots.problem(centre.plan(), now, start, taken)


def _take_seat(centre: Centre, start: datetime, fields: dict[str, object]) -> Booking:
    """Tries each seat in turn; the unique constraint, not a read, decides who gets it."""
    for seat in range(1, centre.per_slot + 1):
        try:
            with transaction.atomic():
                return Booking.objects.create(centre=centre, start=start, seat=seat, **fields)
        except IntegrityError:
            continue
    raise SlotTaken


def book(centre: Centre, start: datetime, details: Details) -> Booking:
    with transaction.atomic():
        booking = _take_seat(centre, start, vars(details))
        notices.confirmation(booking)
    return booking


def move(booking: Booking, start: datetime) -> Booking:
    """A new time keeps the reference and link; its reminder is planned afresh."""
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != Status.BOOKED:
            return locked
        seat = None
        for seat in range(1, locked.centre.per_slot + 1):
            try:
                with transaction.atomic():
                    Booking.objects.filter(pk=locked.pk).update(start=start, seat=seat)
                break
            except IntegrityError:
                seat = None
        if seat is None:
            raise SlotTaken
        locked.refresh_from_db()
        notices.confirmation(locked)
    return locked


def confirm(booking: Booking) -> bool:
    """The patient opened their link and confirmed: from now on they get reminders.
    Until then only the confirmation goes out, so a stranger's address typed into the
    form gets one message, not two."""
    done = Booking.objects.filter(
        pk=booking.pk, status=Status.BOOKED, confirmed_at__isnull=True
    ).update(confirmed_at=timezone.now())
    booking.refresh_from_db()
    return bool(done)


def cancel(booking: Booking) -> bool:
    """Frees the place; False when it was no longer booked (cancelled or seen already)."""
    with transaction.atomic():
        done = Booking.objects.filter(pk=booking.pk, status=Status.BOOKED).update(
            status=Status.CANCELLED, cancelled_at=timezone.now()
        )
        booking.refresh_from_db()
        if done:
            notices.cancelled(booking)
    return bool(done)


def arrive(booking: Booking, patient: Patient) -> None:
    """The patient is here: the booking now points at their record for the day list."""
    Booking.objects.filter(pk=booking.pk).exclude(status=Status.CANCELLED).update(
        status=Status.ARRIVED, patient=patient, arrived_at=timezone.now()
    )
    booking.refresh_from_db()


def do_arrive(actor: Actor, booking: Booking, patient: Patient) -> None:
    with transaction.atomic():
        arrive(booking, patient)
        record(actor, Action.BOOKING_ARRIVE, patient, obj=booking)


def do_walk_in(actor: Actor, centre: Centre, patient: Patient) -> Booking:
    with transaction.atomic():
        booking = record_walk_in(centre, patient)
        record(actor, Action.BOOKING_WALK_IN, patient, obj=booking)
    return booking


def mark_no_show(booking: Booking) -> bool:
    return bool(
        Booking.objects.filter(pk=booking.pk, status=Status.BOOKED).update(status=Status.NO_SHOW)
    )


def record_walk_in(centre: Centre, patient: Patient) -> Booking:
    """A walk-in holds no seat (it takes no booked place) but shows on the day's list."""
    now = timezone.now()
    return Booking.objects.create(
        centre=centre,
        start=now,
        walk_in=True,
        name=patient.name,
        date_of_birth=patient.date_of_birth,
        phone=patient.phone,
        email=patient.email,
        language=getattr(patient, "language", "") or "en",
        status=Status.ARRIVED,
        patient=patient,
        arrived_at=now,
    )
