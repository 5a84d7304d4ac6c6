"""A slot never takes more patients than its capacity, even when people book its last
places at the same instant: the database refuses a second live booking of a seat."""

from __future__ import annotations

import datetime as dt
import threading
import time
from datetime import date

from django.db import IntegrityError, OperationalError, connection, transaction
from django.test import TransactionTestCase

from carewatch.eyes.booking import actions
from carewatch.eyes.booking.models import Booking, Status
from carewatch.platform.accounts.models import Clinic
from tests.eyes.booking.helpers import in_days, make_booking, make_centre


def raw_booking(centre_id: int, start: dt.datetime, seat: int, reference: str) -> Booking:
    return Booking.objects.create(
        centre_id=centre_id,
        start=start,
        seat=seat,
        name="Direct Insert",
        date_of_birth=date(1970, 1, 1),
        reference=reference,
        token=reference * 4,
    )


class CapacityTests(TransactionTestCase):
    def setUp(self) -> None:
        clinic = Clinic.objects.create(name="Demo Centre", slug="demo-centre")
        self.centre = make_centre(clinic, per_slot=2)
        self.start = in_days(2, 9)

    def test_it_refuses_two_live_bookings_of_the_same_seat_in_the_database(self) -> None:
        raw_booking(self.centre.pk, self.start, 1, "AAAA")
        with self.assertRaises(IntegrityError), transaction.atomic():
            raw_booking(self.centre.pk, self.start, 1, "BBBB")

    def test_it_gives_a_cancelled_bookings_seat_to_someone_else(self) -> None:
        first = make_booking(self.centre, self.start)
        make_booking(self.centre, self.start)
        actions.cancel(first)
        third = make_booking(self.centre, self.start)
        self.assertEqual(third.seat, first.seat)
        with self.assertRaises(actions.SlotTaken):
            make_booking(self.centre, self.start)

    def test_it_never_books_more_than_the_capacity_when_many_book_at_once(self) -> None:
        outcomes: list[str] = []
        barrier = threading.Barrier(6)

        def attempt(n: int) -> None:
            barrier.wait()
            try:
                outcomes.append(book_through_locks(n))
            finally:
                connection.close()

        def book_through_locks(n: int) -> str:
            # The in-memory SQLite test database refuses a busy table at once instead of
            # waiting like the WAL file in use does; PostgreSQL in CI really races here.
            for _try in range(500):
                try:
                    make_booking(self.centre, self.start, name=f"Patient {n}")
                    return "booked"
                except actions.SlotTaken:
                    return "full"
                except OperationalError as error:
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.01)
            return "gave up"

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["booked"] * 2 + ["full"] * 4)
        live = Booking.objects.filter(start=self.start).exclude(status=Status.CANCELLED)
        self.assertEqual(sorted(live.values_list("seat", flat=True)), [1, 2])
