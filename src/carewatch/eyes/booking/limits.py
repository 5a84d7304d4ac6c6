"""How much one connection and one contact may book: the public form sends a message to
whatever address or number it is given, so without limits it relays spam.

- per connection (client address), in the cache: PER_ADDRESS_PER_HOUR bookings an hour;
- per contact (the e-mail or the mobile number, as stored), in the database, so a flood
  spread over many connections is caught too: OPEN_PER_CONTACT upcoming bookings at a
  time, and NEW_PER_CONTACT_PER_DAY bookings made in 24 hours, cancelled ones included
  (booking and cancelling in a loop sends two messages a turn).
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carewatch.eyes.booking.models import Booking, Status

PER_ADDRESS_PER_HOUR = 20  # generous: mobile networks put many phones behind one address
OPEN_PER_CONTACT = 2
NEW_PER_CONTACT_PER_DAY = 4
TOO_MANY_TODAY = gettext_lazy(
    "Too many bookings were made today for this mobile number or e-mail address: "
    "call the centre, or try again tomorrow."
)


def address_over_limit(address: str) -> bool:
    """Counts one booking from `address`; True once the hour's allowance is spent."""
    key = f"booking:address:{address}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > PER_ADDRESS_PER_HOUR


def contact_over_limit(email: str, phone: str) -> bool:
    """Counts one booking for each of the contact's address and number in the cache, an
    atomic increment: parallel requests that all passed `contact_problem` before any of
    them was saved are still stopped here."""
    over = False
    for kind, value in (("email", email.lower()), ("phone", phone)):
        if value:
            key = f"booking:contact:{kind}:{value}"
            cache.add(key, 0, timeout=24 * 3600)
            over = cache.incr(key) > NEW_PER_CONTACT_PER_DAY or over
    return over


def of_contact(email: str, phone: str) -> QuerySet[Booking]:
    match = Q(pk__in=[])
    if email:
        match |= Q(email__iexact=email)
    if phone:
        match |= Q(phone=phone)
    return Booking.objects.filter(match, walk_in=False)


def contact_problem(email: str, phone: str, now: dt.datetime) -> str | None:
    """A sentence when this contact may not book now, else None."""
    bookings = of_contact(email, phone)
    if bookings.filter(created__gte=now - dt.timedelta(days=1)).count() >= NEW_PER_CONTACT_PER_DAY:
        return str(TOO_MANY_TODAY)
    if bookings.filter(status=Status.BOOKED, start__gte=now).count() >= OPEN_PER_CONTACT:
        return _(
            "This mobile number or e-mail address already has %(n)s upcoming bookings: use the "
            "link in their confirmation to change or cancel one, then book again."
        ) % {"n": OPEN_PER_CONTACT}
    return None
