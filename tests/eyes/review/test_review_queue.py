"""The review queue: graded, unsigned visits of the centre; referable and urgent first."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carewatch.eyes.review.queue import age_on, build
from carewatch.eyes.review.signing import sign
from carewatch.eyes.screening.models import AuditEntry, Grading
from tests.base import BaseTestCase
from tests.eyes.factories.photos import UNGRADABLE, Finding, graded_visit
from tests.eyes.helpers import make_patient, make_visit


class QueueTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("review:queue", args=["demo-centre"])
        self.n = 0

    def visit(self, minutes_ago: int, **findings: Finding | None):
        self.n += 1
        patient = make_patient(self.clinic, self.screener, f"Q{self.n}", f"Patient {self.n}")
        visit = graded_visit(patient, self.screener, **findings)
        when = timezone.now() - timedelta(minutes=minutes_ago)
        Grading.objects.filter(image__visit=visit).update(created=when)
        return visit

    def test_it_puts_referable_visits_first_most_urgent_first_then_the_longest_waiting(
        self,
    ) -> None:
        normal_old = self.visit(300)
        moderate_old = self.visit(200, left=Finding(2, 0, True))
        moderate_new = self.visit(10, left=Finding(2, 0, True))
        urgent_new = self.visit(5, right=Finding(4, 0, True))
        retake = self.visit(400, left=UNGRADABLE)
        normal_new = self.visit(1)
        order = [item.visit for item in build(self.clinic, date.today())]
        expected = [urgent_new, moderate_old, moderate_new, retake, normal_old, normal_new]
        self.assertEqual(order, expected)

    def test_it_leaves_out_signed_ungraded_and_other_centres_visits(self) -> None:
        waiting = self.visit(1)
        signed = self.visit(2)
        sign(signed, {}, "", self.doctor)
        make_visit(make_patient(self.clinic, self.screener, "Q-open"), self.screener)
        elsewhere = make_patient(self.other_clinic, self.outsider_staff, "Q-other")
        graded_visit(elsewhere, self.outsider_staff)
        self.assertEqual([item.visit for item in build(self.clinic, date.today())], [waiting])

    def test_it_shows_the_number_age_result_and_waiting_time_to_a_doctor(self) -> None:
        visit = self.visit(90, left=Finding(3, 1, True))
        self.login(self.doctor)
        page = self.client.get(self.url)
        self.assertContains(page, visit.patient.number)
        age = age_on(visit.patient.date_of_birth, date.today())
        self.assertContains(page, f"<small>{age} years</small>", html=True)
        self.assertContains(page, "See an eye doctor within a few weeks.")
        self.assertContains(page, "1\xa0hour, 30\xa0minutes")
        self.assertContains(page, reverse("review:visit", args=["demo-centre", visit.pk]))
        self.assertNotContains(page, visit.patient.name)  # the number is enough to find them
        self.assertEqual(AuditEntry.objects.first().action, "review.queue")  # type: ignore[union-attr]

    def test_it_reads_the_queue_in_the_same_few_queries_however_long_it_is(self) -> None:
        self.visit(3)
        with CaptureQueriesContext(connection) as one:
            build(self.clinic, date.today())
        for minutes in (2, 1, 0):
            self.visit(minutes, left=Finding(2, 0, True))
        with CaptureQueriesContext(connection) as four:
            self.assertEqual(len(build(self.clinic, date.today())), 4)
        self.assertEqual(len(four), len(one))

    def test_it_says_so_when_nothing_is_waiting(self) -> None:
        self.login(self.doctor)
        self.assertContains(self.client.get(self.url), "Nothing is waiting")

    def test_it_links_the_queue_from_the_patient_list(self) -> None:
        self.login(self.doctor)
        page = self.client.get(reverse("screening:patients", args=["demo-centre"]))
        self.assertContains(page, self.url)


def test_it_counts_age_in_whole_years_until_the_birthday() -> None:
    assert age_on(date(1968, 4, 2), date(2026, 4, 1)) == 57
    assert age_on(date(1968, 4, 2), date(2026, 4, 2)) == 58
