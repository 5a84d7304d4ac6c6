"""Every view and download of patient data is in an append-only audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carewatch.eyes.screening import visits
from carewatch.eyes.screening.models import AppendOnly, AuditEntry
from carewatch.eyes.screening.uploads import check_photo
from tests.base import BaseTestCase
from tests.eyes.helpers import fundus_like, make_patient, make_visit

SLUG = "demo-centre"


class AuditTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener, number="P7")
        self.visit = make_visit(self.patient, self.screener)
        photo = check_photo(fundus_like(), 10**7)
        self.image = visits.add_image(self.visit, "left", photo, self.screener)

    def last_entry(self) -> AuditEntry:
        entry = AuditEntry.objects.first()
        assert entry is not None
        return entry

    def test_it_records_who_saw_which_patient_when_and_from_where(self) -> None:
        self.login(self.doctor)
        self.client.get(
            reverse("screening:patient", args=[SLUG, self.patient.pk]), REMOTE_ADDR="10.1.2.3"
        )
        entry = self.last_entry()
        self.assertEqual(
            (entry.action, entry.user, entry.who, entry.patient, entry.patient_number, entry.ip),
            ("patient.view", self.doctor, "doctor@example.org", self.patient, "P7", "10.1.2.3"),
        )
        self.assertEqual(entry.clinic, self.clinic)
        self.assertIsNotNone(entry.at)

    def test_it_records_each_view_and_download(self) -> None:
        self.login(self.screener)
        pages = {
            "patient.view": reverse("screening:patient", args=[SLUG, self.patient.pk]),
            "visit.view": reverse("screening:visit", args=[SLUG, self.visit.pk]),
            "image.view": reverse("screening:image", args=[SLUG, self.image.pk, "photo"]),
            "image.thumbnail": reverse("screening:image", args=[SLUG, self.image.pk, "thumbnail"]),
            "patient.search": reverse("screening:patients", args=[SLUG]) + "?q=Meena",
        }
        for action, url in pages.items():
            self.client.get(url)
            entry = self.last_entry()
            self.assertEqual(entry.action, action, url)
            self.assertEqual(entry.who, "screener@example.org")
        image_entry = AuditEntry.objects.get(action="image.view")
        self.assertEqual(
            (image_entry.visit_id, image_entry.object_type, image_entry.object_id),
            (self.visit.pk, "image", self.image.pk),
        )

    def test_it_records_registration_consent_visits_and_uploads(self) -> None:
        self.login(self.screener)
        self.client.post(
            reverse("screening:add_consent", args=[SLUG, self.patient.pk]),
            {"kind": "research", "given": "yes"},
        )
        self.client.post(reverse("screening:new_visit", args=[SLUG, self.patient.pk]))
        actions = list(AuditEntry.objects.values_list("action", flat=True))
        self.assertEqual(actions, ["visit.start", "consent.record"])

    def test_it_records_nothing_for_refused_visitors(self) -> None:
        self.login(self.outsider_staff)
        self.client.get(reverse("screening:patient", args=[SLUG, self.patient.pk]))
        self.assertFalse(AuditEntry.objects.exists())

    def test_it_shows_the_centres_entries_to_its_admin(self) -> None:
        self.login(self.doctor)
        self.client.get(reverse("screening:patient", args=[SLUG, self.patient.pk]))
        self.login(self.clinic_admin)
        page = self.client.get(reverse("screening:audit", args=[SLUG]), {"patient": "P7"})
        self.assertContains(page, "doctor@example.org")
        self.assertContains(page, "patient.view")

    def test_it_cannot_be_changed_or_deleted_through_the_orm(self) -> None:
        self.login(self.doctor)
        self.client.get(reverse("screening:patient", args=[SLUG, self.patient.pk]))
        entry = self.last_entry()
        entry.who = "someone else"
        with pytest.raises(AppendOnly):
            entry.save()
        with pytest.raises(AppendOnly):
            entry.delete()
        with pytest.raises(AppendOnly):
            AuditEntry.objects.filter(pk=entry.pk).update(who="someone else")
        with pytest.raises(AppendOnly):
            AuditEntry.objects.filter(pk=entry.pk).delete()
        with pytest.raises(AppendOnly):
            AuditEntry.objects.all().delete()
        self.assertEqual(AuditEntry.objects.get(pk=entry.pk).who, "doctor@example.org")

    def test_it_keeps_the_entry_when_the_patient_is_erased(self) -> None:
        self.login(self.doctor)
        self.client.get(reverse("screening:patient", args=[SLUG, self.patient.pk]))
        self.patient.delete()
        entry = self.last_entry()
        self.assertIsNone(entry.patient)
        self.assertEqual(entry.patient_number, "P7")
