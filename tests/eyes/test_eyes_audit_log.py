"""The centre admin's audit log page: filters, pages, and nobody else sees it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from carewatch.eyes.screening.models import AuditEntry
from carewatch.platform.accounts.models import Clinic, ClinicMembership, ClinicRole
from tests.base import BaseTestCase, make_user

SLUG = "demo-centre"
URL = reverse("screening:audit", args=[SLUG])


def entry(clinic: Clinic, action: str, number: str = "", at: datetime | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        clinic=clinic,
        who="doctor@example.org",
        action=action,
        patient_number=number,
        ip="10.9.8.7",
        at=at or timezone.now(),
    )


class AuditLogPageTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.clinic_admin)
        now = timezone.now()
        entry(self.clinic, "patient.view", "P1", now - timedelta(days=10))
        entry(self.clinic, "image.view", "P1", now - timedelta(days=1))
        entry(self.clinic, "patient.view", "P2", now)
        entry(self.other_clinic, "patient.view", "P1", now)

    def shown(self, **query: str) -> list[tuple[str, str]]:
        page = self.client.get(URL, query).context["page"]
        return [(e.action, e.patient_number) for e in page]

    def test_it_shows_who_did_what_when_and_from_where(self) -> None:
        page = self.client.get(URL)
        self.assertContains(page, "doctor@example.org")
        self.assertContains(page, "image.view")
        self.assertContains(page, "10.9.8.7")
        logged = [shown for shown in self.shown() if shown[0] != "audit.view"]
        self.assertEqual(len(logged), 3, self.shown())  # not the other centre's entry

    def test_it_filters_by_patient_number_action_and_dates(self) -> None:
        today = timezone.localdate()
        self.assertEqual(self.shown(patient="P1"), [("image.view", "P1"), ("patient.view", "P1")])
        self.assertEqual(self.shown(action="patient.view", patient="P2"), [("patient.view", "P2")])
        since = (today - timedelta(days=2)).isoformat()
        self.assertEqual(self.shown(patient="P1", since=since), [("image.view", "P1")])
        until = (today - timedelta(days=5)).isoformat()
        self.assertEqual(self.shown(until=until), [("patient.view", "P1")])

    def test_it_offers_the_actions_this_centre_has_logged(self) -> None:
        choices = self.client.get(URL).context["form"].fields["action"].choices
        self.assertEqual([c for c, _ in choices], ["", "image.view", "patient.view"])

    def test_it_explains_a_bad_date_and_shows_no_entries(self) -> None:
        page = self.client.get(URL, {"since": "31/31/2026"})
        self.assertContains(page, "Enter the first day as day, month and year.")
        self.assertEqual(list(page.context["page"]), [])

    def test_it_explains_days_in_the_wrong_order(self) -> None:
        page = self.client.get(URL, {"since": "2026-05-02", "until": "2026-05-01"})
        self.assertContains(page, "The last day is before the first: swap them.")

    def test_it_shows_fifty_entries_a_page_and_keeps_the_filter_across_pages(self) -> None:
        for _ in range(55):
            entry(self.clinic, "report.view", "P3")
        first = self.client.get(URL, {"patient": "P3"})
        self.assertEqual(len(first.context["page"]), 50)
        self.assertContains(first, "Page 1 of 2")
        self.assertContains(first, "?patient=P3&amp;page=2")
        second = self.client.get(URL, {"patient": "P3", "page": "2"})
        self.assertEqual(len(second.context["page"]), 5)

    def test_it_records_that_the_log_was_read(self) -> None:
        self.client.get(URL, {"patient": "P1"})
        read = AuditEntry.objects.get(action="audit.view")
        self.assertEqual((read.who, read.note), ("admin@example.org", "patient=P1"))


class AuditLogOutsiderTests(BaseTestCase):
    def test_it_sends_anonymous_visitors_to_log_in(self) -> None:
        self.assertRedirects(self.client.get(URL), f"/accounts/login/?next={URL}")

    def test_it_refuses_screeners_doctors_and_other_centres_admins(self) -> None:
        other_admin = make_user("other-admin@example.org")
        ClinicMembership.objects.create(
            clinic=self.other_clinic, user=other_admin, role=ClinicRole.ADMIN
        )
        for user in (self.screener, self.doctor, self.outsider_staff, other_admin, self.alice):
            self.client.force_login(user)
            self.assertEqual(self.client.get(URL).status_code, 404, user)
