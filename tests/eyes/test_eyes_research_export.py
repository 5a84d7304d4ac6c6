"""The centre admin's de-identified research export: only consenting patients, no identity."""

from __future__ import annotations

import csv
import io
import zipfile

from django.urls import reverse
from PIL import Image

from carewatch.eyes.review.snapshot import EyeDecision
from carewatch.eyes.screening.models import AuditEntry, ConsentKind, Visit, record_consent
from carewatch.platform.accounts.models import ClinicMembership, ClinicRole
from tests.base import BaseTestCase, make_user
from tests.eyes.factories.photos import UNGRADABLE, Finding, grade
from tests.eyes.factories.reports import MODEL_VERSION, signed_report
from tests.eyes.helpers import add_photo, make_patient

SLUG = "demo-centre"


class ResearchExportTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("screening:research", args=[SLUG])
        self.patient = self.patient_with_photos("P9", "Meena Iyer", research=True, shade=0)
        self.patient.email = "meena@example.org"
        self.patient.save()
        self.patient_with_photos("P10", "Refusing Person", research=False, shade=40)
        withdrawn = self.patient_with_photos("P11", "Withdrawn Person", research=True, shade=80)
        record_consent(withdrawn, ConsentKind.RESEARCH, False, self.screener)

    def patient_with_photos(self, number: str, name: str, research: bool, shade: int):
        patient = make_patient(self.clinic, self.screener, number=number, name=name)
        record_consent(patient, ConsentKind.RESEARCH, research, self.screener)
        visit = Visit.objects.create(patient=patient, created_by=self.screener)
        with self.captureOnCommitCallbacks():  # gradings are made below, not by the grader
            right = add_photo(visit, "right", self.screener, shade)
            left = add_photo(visit, "left", self.screener, shade + 20)
        grade(right, Finding(2))
        grade(left, UNGRADABLE)
        worse = EyeDecision(grade=3, dme_risk=1, reason="Looks worse.")
        signed_report(visit, self.doctor, {"right": worse})  # the doctor's final grade is 3
        return patient

    def export(self) -> bytes:
        self.login(self.clinic_admin)
        response = self.client.post(self.url)
        self.assertEqual(response["Content-Type"], "application/zip")
        return b"".join(response.streaming_content)

    def rows(self, data: bytes) -> list[dict[str, str]]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return list(csv.DictReader(io.StringIO(archive.read("photos.csv").decode())))

    def test_it_exports_each_gradable_photo_of_consenting_patients_only(self) -> None:
        rows = self.rows(self.export())
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(
            [row[c] for c in ("age_band", "sex", "diabetes_type", "visit", "eye")],
            ["50-59", "female", "type2", "1", "right"],
        )
        self.assertEqual((row["ai_grade"], row["final_grade"], row["dme_risk"]), ("2", "3", "1"))
        self.assertEqual((row["referable"], row["model_version"]), ("yes", MODEL_VERSION))

    def test_it_leaves_no_name_number_contact_or_date_in_the_zip(self) -> None:
        data = self.export()
        born, visited = self.patient.date_of_birth, self.patient.visits.get().date
        leaks = ["Meena", "Iyer", "P9", "+919800000001", "9800000001", "meena@example.org"]
        for day in (born, visited):
            leaks += [day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%d.%m.%Y")]
            leaks += [day.strftime("%Y:%m:%d"), day.strftime("%d %B %Y"), day.strftime("%Y%m%d")]
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            contents = [archive.read(info) for info in archive.infolist()]
            names = archive.namelist()
            photos = [archive.read(n) for n in names if n.startswith("photos/")]
        for leak in leaks:
            for blob in [data, *contents]:  # stored, not deflated: the raw bytes are the text
                self.assertNotIn(leak.encode(), blob, leak)
        self.assertEqual(len(photos), 1)
        with Image.open(io.BytesIO(photos[0])) as img:
            self.assertFalse(img.getexif())

    def test_it_names_the_photo_by_pseudonym_and_eye_the_same_in_every_export(self) -> None:
        first, second = self.rows(self.export()), self.rows(self.export())
        self.assertEqual(first[0]["patient"], second[0]["patient"])
        self.assertEqual(first[0]["photo"], f"{first[0]['patient']}-1-right.jpg")
        with zipfile.ZipFile(io.BytesIO(self.export())) as archive:
            self.assertIn(f"photos/{first[0]['photo']}", archive.namelist())

    def test_it_records_the_export_in_the_audit_log(self) -> None:
        self.export()
        entry = AuditEntry.objects.get(action="research.export")
        self.assertEqual((entry.who, entry.note), ("admin@example.org", "1 photos of 1 patients"))

    def test_it_says_what_the_export_holds_before_downloading(self) -> None:
        self.login(self.clinic_admin)
        page = self.client.get(self.url)
        self.assertContains(page, "1 patient agrees to research use.")
        self.assertContains(page, "1 gradable photo can be exported.")
        self.assertFalse(AuditEntry.objects.filter(action="research.export").exists())

    def test_it_says_so_when_there_is_nothing_to_export(self) -> None:
        record_consent(self.patient, ConsentKind.RESEARCH, False, self.screener)
        self.login(self.clinic_admin)
        response = self.client.post(self.url, follow=True)
        self.assertContains(response, "There is nothing to export yet")
        self.assertFalse(AuditEntry.objects.filter(action="research.export").exists())


class ResearchExportOutsiderTests(BaseTestCase):
    def test_it_sends_anonymous_visitors_to_log_in(self) -> None:
        url = reverse("screening:research", args=[SLUG])
        for response in (self.client.get(url), self.client.post(url)):
            self.assertRedirects(response, f"/accounts/login/?next={url}")

    def test_it_refuses_screeners_doctors_and_other_centres_admins(self) -> None:
        other_admin = make_user("other-admin@example.org")
        ClinicMembership.objects.create(
            clinic=self.other_clinic, user=other_admin, role=ClinicRole.ADMIN
        )
        url = reverse("screening:research", args=[SLUG])
        for user in (self.screener, self.doctor, self.outsider_staff, other_admin, self.alice):
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, 404, user)
            self.assertEqual(self.client.post(url).status_code, 404, user)
        self.assertFalse(AuditEntry.objects.exists())
