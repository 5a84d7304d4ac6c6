"""From a stored signed report to the facts the FHIR builder needs (the Django side)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from carewatch.eyes.clinical import Outcome
from carewatch.eyes.documents.fhir import ReportFacts, build
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.wording import DME_RISKS, RECOMMENDATIONS, STAGES, reason_words
from carewatch.platform.accounts.models import Clinic


def facts_of(report: SignedReport, clinic: Clinic) -> ReportFacts:
    # English for the receiving system, whatever language the staff member reads: the codes
    # carry the meaning, and one language keeps every export comparable.
    with translation.override("en"):
        recommendation, follow_up = RECOMMENDATIONS[Outcome(report.outcome)]
        note = report.content.get("doctor_note", "")
        conclusion = f"{recommendation} {follow_up}" + (f" Doctor's note: {note}" if note else "")
        stages = {k: str(v) for k, v in STAGES.items()}
        dme = {k: str(v) for k, v in DME_RISKS.items()}
        eyes = [worded(eye) for eye in report.content.get("eyes", [])]
    return ReportFacts(
        report_id=report.pk,
        visit_id=report.visit_id,
        version=report.version,
        content=report.content | {"eyes": eyes},
        visit_date=report.visit.date,
        signed_at=report.signed_at,
        signer_name=report.signer_name,
        centre_slug=clinic.slug,
        centre_name=clinic.name,
        patient_number=report.visit.patient.number,
        conclusion=conclusion,
        stage_words=stages,
        dme_words=dme,
    )


def diagnostic_report(report: SignedReport, clinic: Clinic) -> dict[str, Any]:
    return build(facts_of(report, clinic))


def worded(eye: dict[str, Any]) -> dict[str, Any]:
    """The grader's reason code as an English sentence, for the receiving system."""
    return eye | {"reason": reason_words(eye["reason"], eye.get("quality"))}
