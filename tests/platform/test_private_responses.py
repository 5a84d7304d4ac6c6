"""Patient photos, reports and PDFs, a booking's private page and the API are never kept
by a browser or a proxy cache: `Cache-Control: no-store` on every private path."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from carewatch.eyes.screening import visits
from carewatch.eyes.screening.uploads import check_photo
from tests.eyes.booking.helpers import in_days, make_booking, make_centre
from tests.eyes.helpers import fundus_like, make_patient, make_visit
from tests.eyes.portal.helpers import PortalTestCase


def no_store(response: object) -> bool:
    return "no-store" in response["Cache-Control"]  # type: ignore[index]


class PrivateResponseTests(PortalTestCase):
    def test_a_patient_photo_and_its_thumbnail_are_not_stored(self) -> None:
        visit = make_visit(make_patient(self.clinic, self.screener, number="P9"), self.screener)
        image = visits.add_image(visit, "left", check_photo(fundus_like(), 10**7), self.screener)
        self.login(self.screener)
        for kind in ("photo", "thumbnail"):
            response = self.client.get(f"/eyes/centre/demo-centre/images/{image.pk}/{kind}/")
            self.assertEqual(response.status_code, 200)
            self.assertTrue(no_store(response), response["Cache-Control"])
            self.assertIn("private", response["Cache-Control"])

    def test_the_portal_report_and_its_pdf_are_not_stored(self) -> None:
        visit = self.signed_visit()
        self.enter_as()
        for url in (f"/eyes/my/reports/{visit.pk}/", f"/eyes/my/reports/{visit.pk}/pdf/"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertTrue(no_store(response), url)

    def test_a_bookings_private_page_is_not_stored(self) -> None:
        booking = make_booking(make_centre(self.clinic), in_days(2, 10))
        self.assertTrue(no_store(self.client.get(booking.get_absolute_url())))

    def test_public_pages_keep_their_own_caching(self) -> None:
        response = self.client.get(reverse("booking:centres"))
        self.assertFalse(no_store(response) if response.has_header("Cache-Control") else False)

    @override_settings(PRIVATE_PATHS=["/eyes/centres/"])
    def test_the_private_paths_are_a_setting(self) -> None:
        self.assertTrue(no_store(self.client.get(reverse("booking:centres"))))
