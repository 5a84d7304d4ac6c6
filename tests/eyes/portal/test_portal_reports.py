"""The patient's reports: the latest signed version of each visit, as a page and a PDF in the
patient's language, every view and download audited with the client's address."""

from __future__ import annotations

import io

from pypdf import PdfReader

from carewatch.eyes.screening.models import AuditEntry
from tests.eyes.helpers import make_visit
from tests.eyes.portal.helpers import PortalTestCase, sign


class ReportTests(PortalTestCase):
    def test_it_lists_the_latest_version_of_each_signed_visit(self) -> None:
        first = self.signed_visit()
        second = make_visit(self.patient, self.screener)
        sign(second, self.doctor)
        sign(second, self.doctor, version=2, follow_up=None)
        make_visit(self.patient, self.screener)  # not signed yet: not listed
        self.enter_as()
        response = self.client.get("/eyes/my/reports/")
        self.assertEqual([r.visit_id for r in response.context["reports"]], [second.pk, first.pk])
        self.assertEqual(response.context["reports"][0].version, 2)
        self.assertContains(response, "updated by the doctor", count=1)

    def test_it_shows_the_signed_report_and_audits_the_view(self) -> None:
        visit = self.signed_visit()
        self.enter_as()
        response = self.client.get(f"/eyes/my/reports/{visit.pk}/", REMOTE_ADDR="10.9.8.7")
        self.assertContains(response, "No apparent diabetic retinopathy")
        self.assertContains(response, "Dr Kavya Rao")
        self.assertContains(response, f"/eyes/my/reports/{visit.pk}/pdf/")
        entry = AuditEntry.objects.get(action="portal.view")
        self.assertEqual(
            (entry.who, entry.ip, entry.visit_id, entry.patient),
            ("patient P1", "10.9.8.7", visit.pk, self.patient),
        )

    def test_it_shows_the_amended_version_not_the_first(self) -> None:
        visit = make_visit(self.patient, self.screener)
        sign(visit, self.doctor)
        sign(visit, self.doctor, version=2, follow_up=None)
        self.enter_as()
        response = self.client.get(f"/eyes/my/reports/{visit.pk}/")
        self.assertEqual(response.context["report"].version, 2)
        self.assertContains(response, "Moderate non-proliferative diabetic retinopathy")

    def test_it_downloads_the_pdf_in_the_patients_language_and_audits_it(self) -> None:
        visit = self.signed_visit()
        self.patient.language = "hi"
        self.patient.save()
        self.enter_as()
        response = self.client.get(f"/eyes/my/reports/{visit.pk}/pdf/", REMOTE_ADDR="10.9.8.7")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment;", response["Content-Disposition"])
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        self.assertIn("Meena Iyer", text)
        self.assertTrue(any("\u0900" <= ch <= "\u097f" for ch in text), "no Hindi in the PDF")
        entry = AuditEntry.objects.get(action="portal.download")
        self.assertEqual((entry.ip, entry.visit_id), ("10.9.8.7", visit.pk))

    def test_it_says_when_no_report_is_signed_yet(self) -> None:
        self.enter_as()
        self.assertContains(self.client.get("/eyes/my/reports/"), "No signed report yet")

    def test_it_gives_404_for_a_visit_without_a_signed_report(self) -> None:
        visit = make_visit(self.patient, self.screener)
        self.enter_as()
        self.assertEqual(self.client.get(f"/eyes/my/reports/{visit.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/eyes/my/reports/{visit.pk}/pdf/").status_code, 404)
