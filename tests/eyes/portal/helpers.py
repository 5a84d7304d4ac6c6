"""Patients with signed reports, and a browser that opens their private pages for real:
the link from the e-mail, "Send me a code", the code from the next e-mail."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from carewatch.eyes.portal import links
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.signals import report_signed
from carewatch.eyes.screening.models import Patient, Visit
from tests.base import BaseTestCase
from tests.eyes.factories.reports import graded_eye, signed_report
from tests.eyes.helpers import make_patient, make_visit
from tests.mailbox import smtp_server

# Every word a result could be told in: none may reach a message that is not the report.
RESULT_WORDS = [
    "retinopathy", "proliferative", "mild", "moderate", "severe", "referable", "refer",
    "edema", "oedema", "macula", "grade", "stage", "urgent", "normal", "result",
]  # fmt: skip


def sign(visit: Visit, doctor: Any, version: int = 1, follow_up: int | None = 12) -> SignedReport:
    """A signed version: no DR (rescreen in 12 months) or, without follow_up, moderate
    (refer)."""
    grade = 0 if follow_up else 2
    return signed_report(
        visit,
        doctor,
        version=version,
        amendment_reason="" if version == 1 else "A second look",
        eyes=[graded_eye("right", grade), graded_eye("left", grade)],
        signed_at=timezone.now(),
        follow_up_months=follow_up,
    )


class PortalTestCase(BaseTestCase):
    patient: Patient
    other: Patient

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.patient = make_patient(cls.clinic, cls.screener)
        cls.patient.phone, cls.patient.email = "", "meena@example.org"
        cls.patient.save()
        cls.other = make_patient(cls.clinic, cls.screener, number="P2", name="Ravi Kumar")
        cls.other.phone, cls.other.email = "", "ravi@example.org"
        cls.other.save()

    def signed_visit(self, patient: Patient | None = None, follow_up: int | None = 12) -> Visit:
        visit = make_visit(patient or self.patient, self.screener)
        sign(visit, self.doctor, follow_up=follow_up)
        return visit

    def announce(self, report: SignedReport) -> list[Any]:
        """Sends the review app's signal as it does after signing; returns the e-mails."""
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            report_signed.send(sender=SignedReport, report=report)
        return mailbox.messages

    def open_link(self, patient: Patient | None = None) -> Any:
        token = links.issue_link(patient or self.patient)
        return self.client.get(f"/eyes/my/r/{token}/")

    def request_code(self) -> str:
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.client.post("/eyes/my/code/")
        found = re.search(r"\b(\d{6})\b", mailbox.texts()[-1])
        assert found is not None, mailbox.texts()
        return found.group(1)

    def enter_as(self, patient: Patient | None = None) -> str:
        """Returns the code that opened the session."""
        self.open_link(patient)
        code = self.request_code()
        response = self.client.post("/eyes/my/", {"code": code})
        assert response.status_code == 302 and response["Location"] == "/eyes/my/reports/"
        return code
