"""Public details and hours for the demo clinic, so `carewatch demo` shows it in the finder."""

from __future__ import annotations

from datetime import time

from carewatch.eyes.booking.models import Centre, OpeningHours
from carewatch.platform.accounts.models import Clinic

WEEKDAY_HOURS = (time(9), time(17))
SATURDAY_HOURS = (time(9), time(13))


def load_demo_centres() -> None:
    """Idempotent: running the demo again keeps one centre and one row per open day."""
    clinic = Clinic.objects.filter(slug="demo-centre").first()
    if clinic is None:
        return
    centre, _created = Centre.objects.update_or_create(
        clinic=clinic,
        defaults={
            "public": True,
            "address": clinic.address or "12 Anna Salai",
            "city": clinic.city or "Chennai",
            "pincode": "600002",
            "phone": "+91 44 2345 6789",
            "price_rupees": 0,
            "slot_minutes": 15,
            "per_slot": 2,
            "directions": (
                "Ground floor, next to the pharmacy. Bring your glasses, your diabetes "
                "record book and someone to take you home: the eye drops blur your sight "
                "for a few hours."
            ),
        },
    )
    for weekday in range(6):  # Monday to Saturday; closed on Sunday
        opens, closes = SATURDAY_HOURS if weekday == 5 else WEEKDAY_HOURS
        OpeningHours.objects.update_or_create(
            centre=centre, weekday=weekday, defaults={"opens": opens, "closes": closes}
        )
