"""Every patient page refuses whoever is not that patient: without a session the visitor is
asked for the code; another patient's session gets 404 for this patient's things."""

from __future__ import annotations

from carewatch.eyes.portal import models
from tests.eyes.portal.helpers import PortalTestCase

PAGES = [
    "/eyes/my/reports/",
    "/eyes/my/feedback/",
    "/eyes/my/preferences/",
    "/eyes/my/testimonial/",
    "/eyes/my/invite/",
]


class OutsiderTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.visit = self.signed_visit()
        self.testimonial = models.Testimonial.objects.create(
            patient=self.patient, clinic=self.clinic, text="Kind staff.", first_name="Meena",
            consent=True,
        )  # fmt: skip
        self.patient_pages = [
            f"/eyes/my/reports/{self.visit.pk}/",
            f"/eyes/my/reports/{self.visit.pk}/pdf/",
        ]

    def test_it_asks_a_visitor_without_a_session_for_the_code(self) -> None:
        for url in [*PAGES, *self.patient_pages]:
            self.assertRedirects(self.client.get(url), "/eyes/my/", msg_prefix=url)
        withdraw = f"/eyes/my/testimonial/{self.testimonial.pk}/withdraw/"
        self.assertRedirects(self.client.post(withdraw), "/eyes/my/")

    def test_it_asks_logged_in_staff_for_the_code_too(self) -> None:
        self.login(self.doctor)
        for url in self.patient_pages:
            self.assertRedirects(self.client.get(url), "/eyes/my/", msg_prefix=url)

    def test_it_gives_another_patient_404_for_this_patients_report_and_testimonial(
        self,
    ) -> None:
        self.enter_as(self.other)
        for url in self.patient_pages:
            self.assertEqual(self.client.get(url).status_code, 404, url)
        withdraw = f"/eyes/my/testimonial/{self.testimonial.pk}/withdraw/"
        self.assertEqual(self.client.post(withdraw).status_code, 404)
        self.testimonial.refresh_from_db()
        self.assertIsNone(self.testimonial.withdrawn_at)

    def test_it_shows_another_patient_only_their_own_reports(self) -> None:
        self.enter_as(self.other)
        response = self.client.get("/eyes/my/reports/")
        self.assertEqual(response.context["reports"], [])
        self.assertNotContains(self.client.get("/eyes/my/testimonial/"), "Kind staff.")

    def test_it_opens_the_pages_to_the_patient_themselves(self) -> None:
        self.enter_as()
        for url in [*PAGES, *self.patient_pages]:
            self.assertEqual(self.client.get(url).status_code, 200, url)
