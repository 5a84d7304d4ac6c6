"""Every Eyes staff page: outsiders, family users and anonymous visitors are refused."""

from __future__ import annotations

from django.urls import reverse

from carewatch.eyes.screening import visits
from carewatch.eyes.screening.uploads import check_photo
from tests.base import BaseTestCase
from tests.eyes.helpers import fundus_like, make_patient, make_visit

SLUG = "demo-centre"


class EyesAccessTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.visit = make_visit(self.patient, self.screener)
        photo = check_photo(fundus_like(), 10**7)
        self.image = visits.add_image(self.visit, "right", photo, self.screener)

    def get_pages(self) -> list[str]:
        image = self.image.pk
        return [
            reverse("screening:patients", args=[SLUG]),
            reverse("screening:register", args=[SLUG]),
            reverse("screening:patient", args=[SLUG, self.patient.pk]),
            reverse("screening:visit", args=[SLUG, self.visit.pk]),
            reverse("screening:visit_progress", args=[SLUG, self.visit.pk]),
            reverse("screening:report", args=[SLUG, self.visit.pk]),
            reverse("screening:image", args=[SLUG, image, "photo"]),
            reverse("screening:image", args=[SLUG, image, "thumbnail"]),
        ]

    def post_pages(self) -> list[str]:
        return [
            reverse("screening:add_consent", args=[SLUG, self.patient.pk]),
            reverse("screening:new_visit", args=[SLUG, self.patient.pk]),
        ]

    def test_it_shows_every_page_to_the_centres_staff(self) -> None:
        for user in (self.screener, self.doctor, self.clinic_admin):
            self.login(user)
            for url in self.get_pages():
                self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_it_refuses_staff_of_another_centre_and_family_users(self) -> None:
        for user in (self.outsider_staff, self.alice, self.charlie):
            self.login(user)
            for url in self.get_pages() + [reverse("screening:audit", args=[SLUG])]:
                self.assertEqual(self.client.get(url).status_code, 404, (user, url))
            for url in self.post_pages():
                self.assertEqual(self.client.post(url).status_code, 404, (user, url))

    def test_it_sends_anonymous_visitors_to_log_in(self) -> None:
        for url in self.get_pages() + [reverse("screening:audit", args=[SLUG])]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("/accounts/login/", response["Location"])
        for url in self.post_pages():
            self.assertEqual(self.client.post(url).status_code, 302, url)

    def test_it_hides_another_centres_patient_behind_a_404(self) -> None:
        """Staff of the other centre using their own slug still cannot reach our ids."""
        self.login(self.outsider_staff)
        urls = [
            reverse("screening:patient", args=["other-centre", self.patient.pk]),
            reverse("screening:visit", args=["other-centre", self.visit.pk]),
            reverse("screening:image", args=["other-centre", self.image.pk, "photo"]),
        ]
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_it_shows_the_audit_log_to_the_centre_admin_only(self) -> None:
        url = reverse("screening:audit", args=[SLUG])
        for user in (self.screener, self.doctor):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.clinic_admin)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_it_links_the_centres_patients_from_the_staff_home_page(self) -> None:
        self.login(self.screener)
        home = self.client.get(reverse("accounts:home"))
        self.assertContains(home, reverse("screening:patients", args=[SLUG]))
        self.assertNotContains(home, reverse("screening:audit", args=[SLUG]))
        self.login(self.clinic_admin)
        home = self.client.get(reverse("accounts:home"))
        self.assertContains(home, reverse("screening:audit", args=[SLUG]))
