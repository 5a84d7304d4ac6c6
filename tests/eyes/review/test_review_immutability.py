"""A signed version is a medical record: it can be neither changed nor deleted, by any path."""

from __future__ import annotations

from django.db.models.deletion import ProtectedError

from carewatch.eyes.review.models import SignedReport, SignedReportImmutable
from carewatch.eyes.review.signing import SignedMeanwhile, create, sign
from carewatch.eyes.screening.models import AppendOnly
from tests.base import BaseTestCase
from tests.eyes.factories.photos import graded_visit
from tests.eyes.helpers import make_patient


class ImmutabilityTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.visit = graded_visit(make_patient(self.clinic, self.screener), self.screener)
        self.report = sign(self.visit, {}, "Note", self.doctor)

    def test_it_refuses_to_save_a_change_to_a_signed_version(self) -> None:
        self.report.content = {"eyes": [], "worse_eye": None, "doctor_note": "forged"}
        with self.assertRaises(SignedReportImmutable):
            self.report.save()
        self.assertEqual(SignedReport.objects.get().content["doctor_note"], "Note")

    def test_it_refuses_to_delete_a_signed_version(self) -> None:
        with self.assertRaises(SignedReportImmutable):
            self.report.delete()
        self.assertTrue(SignedReport.objects.filter(pk=self.report.pk).exists())

    def test_it_refuses_bulk_updates_and_deletes(self) -> None:
        with self.assertRaises(SignedReportImmutable):
            SignedReport.objects.filter(pk=self.report.pk).update(referable=True)
        with self.assertRaises(SignedReportImmutable):
            SignedReport.objects.all().delete()
        self.assertFalse(SignedReport.objects.get().referable)

    def test_it_is_an_append_only_record_like_the_audit_log(self) -> None:
        self.assertTrue(issubclass(SignedReportImmutable, AppendOnly))

    def test_it_keeps_the_visit_while_a_signed_version_refers_to_it(self) -> None:
        with self.assertRaises(ProtectedError):
            self.visit.delete()

    def test_it_keeps_the_signed_content_when_the_grading_changes_later(self) -> None:
        grading = self.visit.images.get(eye="right").grading
        grading.grade = 4
        grading.save()
        self.assertEqual(SignedReport.objects.get().content["eyes"][0]["grade"], 0)

    def test_it_lets_the_database_refuse_a_second_version_with_the_same_number(self) -> None:
        # Two signers who both passed the version check: the unique constraint decides.
        with self.assertRaises(SignedMeanwhile) as raised:
            create(self.visit, 1, self.report.content, self.doctor, "")
        self.assertEqual(raised.exception.latest, self.report)
        self.assertEqual(SignedReport.objects.count(), 1)
