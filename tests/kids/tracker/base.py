from __future__ import annotations

from carewatch.kids.tracker.models import Child, Device, Place
from tests.base import BaseTestCase


class TrackerTestCase(BaseTestCase):
    """BaseTestCase plus a child, a paired watch and a place in the Sharma family."""

    child: Child
    device: Device
    school: Place

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.child = Child.objects.create(family=cls.family, name="Asha", birth_year=2016)
        cls.device = Device.objects.create(
            identifier="860000000000001", family=cls.family, child=cls.child, name="Asha's watch"
        )
        cls.school = Place.objects.create(
            family=cls.family, name="School", kind="school", lat=13.0827, lon=80.2707, radius_m=150
        )
