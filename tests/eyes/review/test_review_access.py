"""Outsiders: anonymous visitors log in; family users and another centre's staff get 404;
a screener or an admin reads but never signs or amends."""

from __future__ import annotations

from django.urls import reverse

from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.signing import sign
from tests.base import BaseTestCase
from tests.eyes.factories.photos import graded_visit
from tests.eyes.helpers import make_patient


class ReviewAccessTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        patient = make_patient(self.clinic, self.screener)
        self.visit = graded_visit(patient, self.screener)
        self.unsigned = graded_visit(patient, self.screener)
        self.report = sign(self.visit, {}, "", self.doctor)

    def pages(self, slug: str = "demo-centre") -> list[str]:
        r = self.report.pk
        return [
            reverse("review:queue", args=[slug]),
            reverse("review:visit", args=[slug, self.unsigned.pk]),
            reverse("documents:report", args=[slug, r]),
            reverse("review:amend", args=[slug, r]),
            reverse("documents:fhir", args=[slug, r]),
        ]

    def test_it_sends_anonymous_visitors_to_log_in(self) -> None:
        for url in self.pages():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("/accounts/login/", response["Location"])

    def test_it_refuses_family_users_and_another_centres_doctor(self) -> None:
        for user in (self.alice, self.charlie, self.outsider_staff):
            self.login(user)
            for url in self.pages():
                self.assertEqual(self.client.get(url).status_code, 404, (user, url))
            self.assertEqual(self.client.post(self.pages()[1], {}).status_code, 404)

    def test_it_hides_this_centres_visits_and_reports_from_another_centres_doctor(self) -> None:
        self.login(self.outsider_staff)
        for url in self.pages("other-centre")[1:]:
            self.assertEqual(self.client.get(url).status_code, 404, url)
        post = {"right-choice": "agree", "left-choice": "agree", "seen_version": "0"}
        post["confirm"] = "on"
        sign_url = self.pages("other-centre")[1]
        self.assertEqual(self.client.post(sign_url, post).status_code, 404)
        self.assertEqual(SignedReport.objects.count(), 1)

    def test_it_shows_the_centres_doctor_every_page(self) -> None:
        self.login(self.doctor)
        for url in self.pages():
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_it_lets_screeners_and_admins_read_but_not_sign_or_amend(self) -> None:
        for user in (self.screener, self.clinic_admin):
            self.login(user)
            queue, review, report, amend, export = self.pages()
            for url in (queue, review, report, export):
                self.assertEqual(self.client.get(url).status_code, 200, (user, url))
            self.assertEqual(self.client.get(amend).status_code, 404)
            self.assertEqual(self.client.post(review, {}).status_code, 403)
            self.assertNotContains(self.client.get(report), amend)
