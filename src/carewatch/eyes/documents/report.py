"""A signed report as a document: every text already in the active language.

The HTML partial and the PDFs both read a ReportDocument, so the page a doctor sees and the
file they print carry the same words. Labels and values come as (label, value) rows, built
once here rather than in each output. Clinical words (stages, edema risk, recommendations,
disclaimer, urgency) are eyes/clinical.py's, the grader's reasons eyes/wording.py's, never
repeated.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from carewatch.eyes.clinical import Outcome
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.snapshot import heatmap_for_patient
from carewatch.eyes.screening import crypto
from carewatch.eyes.screening.models import Eye, Grading, Sex
from carewatch.eyes.wording import (
    DISCLAIMER,
    DME_RISKS,
    RECOMMENDATIONS,
    STAGES,
    URGENCY,
    URGENT,
    reason_words,
)

Row = tuple[str, str]


@dataclass(frozen=True)
class EyeSection:
    eye: str  # "right" or "left"
    label: str
    rows: list[Row]
    stage: str  # "" when not graded: an ungradable eye is never "no DR"
    dme: str
    gradable: bool
    referable: bool
    urgent: bool  # urgent referral to an ophthalmologist (vision-threatening)
    changed_by_doctor: bool
    heatmap_png: bytes | None = field(default=None, repr=False)

    @property
    def heatmap_data_uri(self) -> str:
        """Inline, so the page needs no staff-only image URL (patients see it too)."""
        if not self.heatmap_png:
            return ""
        return "data:image/png;base64," + base64.b64encode(self.heatmap_png).decode()


@dataclass(frozen=True)
class ReportDocument:
    language: str
    title: str
    centre_name: str
    centre_lines: list[str]  # address, city and phone, when the centre gave them
    patient_rows: list[Row]
    result_rows: list[Row]  # for the patient: the worse eye decides
    eyes: list[EyeSection]
    signature_rows: list[Row]
    outcome: Outcome
    referable: bool
    urgent: bool  # some eye needs urgent referral: the page and the PDF say so first
    recommendation: str
    follow_up: str
    urgency: str  # for the referral letter; "" when the report is not referable
    doctor_note: str
    version: int
    amendment_reason: str
    amendment_notice: str  # "" for version 1
    model_versions: list[str]
    heatmap_note: str  # on the patient's copy with heatmaps: what they are; else ""
    disclaimer: str
    labels: dict[str, str]  # headings shared by the page and the PDFs


def document_for(report: SignedReport, for_patient: bool = False) -> ReportDocument:
    """The signed report in the active language. The patient's copy carries the doctor's
    result only: an overruled machine finding reads as a second opinion, and so does a
    heatmap unless the signing doctor agreed to show it."""
    visit = report.visit
    patient, clinic = visit.patient, visit.patient.clinic
    content = report.content
    outcome = Outcome(report.outcome)
    heatmaps = not for_patient or heatmap_for_patient(content)
    eyes = [eye_section(e, for_patient, heatmaps) for e in content["eyes"]]
    return ReportDocument(
        language=_active_language(),
        title=_("Diabetic eye screening report"),
        centre_name=clinic.name,
        centre_lines=[
            line.strip()
            for line in [*clinic.address.splitlines(), clinic.city, clinic.phone]
            if line.strip()
        ],
        patient_rows=[
            (_("Name"), patient.name),
            (_("Patient number"), patient.number),
            (_("Date of birth"), formats.date_format(patient.date_of_birth)),
            (_("Sex"), str(Sex(patient.sex).label) if patient.sex in Sex.values else ""),
            (_("Visit"), formats.date_format(visit.date)),
        ],
        result_rows=result_rows(content, eyes, outcome),
        eyes=eyes,
        signature_rows=signature_rows(report),
        outcome=outcome,
        referable=report.referable,
        urgent=outcome == Outcome.REFER_URGENT,
        recommendation=str(RECOMMENDATIONS[outcome][0]),
        follow_up=str(RECOMMENDATIONS[outcome][1]),
        urgency=str(URGENCY[outcome]) if report.referable and outcome in URGENCY else "",
        doctor_note=content.get("doctor_note", ""),
        version=report.version,
        amendment_reason=report.amendment_reason,
        amendment_notice=amendment_notice(report),
        model_versions=sorted({e["model_version"] for e in content["eyes"] if e["model_version"]}),
        heatmap_note=(
            _(
                "The coloured areas on the photos show where the software looked. They are "
                "not a diagnosis: your doctor's result above is."
            )
            if for_patient and any(e.heatmap_png for e in eyes)
            else ""
        ),
        disclaimer=str(DISCLAIMER),
        labels=labels(),
    )


def labels() -> dict[str, str]:
    return {
        "patient": _("Patient"),
        "result": _("Result for the patient"),
        "heatmap": _("Heatmap: where the software looked"),
        "doctor_note": _("Doctor's note"),
        "model_version": _("Model version"),
        "signed": _("Signed"),
        "referral_title": _("Referral letter"),
        "referral_to": _("To the eye department"),
        "referral_body": _(
            "We screened this patient for diabetic retinopathy and ask you to see them. "
            "The findings signed by our doctor:"
        ),
        "urgency": _("Urgency"),
        "urgent": _("Urgent referral"),
        "findings": _("Findings"),
        "contact": _("Contact"),
    }


def eye_section(
    eye: dict[str, Any], for_patient: bool = False, with_heatmap: bool = True
) -> EyeSection:
    label = str(Eye(eye["eye"]).label)
    graded = bool(eye["gradable"]) and eye["grade"] is not None
    changed = eye["ai_grade"] != eye["grade"] or eye["ai_dme_risk"] != eye["dme_risk"]
    changed = changed or urgency_changed(eye)
    rows: list[Row] = []
    if graded:
        rows += [
            (_("Stage"), str(STAGES[eye["grade"]])),
            (_("Macular-edema risk"), _dme(eye["dme_risk"])),
            (_("Referable"), _("Yes") if eye["referable"] else _("No")),
        ]
        if "urgent" in eye:  # reports signed before the flag say what they said then
            rows.append((_("Urgent referral"), str(URGENT) if eye["urgent"] else _("No")))
    rows.append((_("Image quality"), quality_words(eye)))
    if for_patient:
        pass  # the doctor's result above is the whole result
    elif changed:
        rows.append((_("Doctor's review"), change_words(eye)))
    elif graded:
        rows.append((_("Doctor's review"), _("Agrees with the software's finding.")))
    return EyeSection(
        eye=eye["eye"],
        label=label,
        rows=rows,
        stage=str(STAGES[eye["grade"]]) if graded else "",
        dme=_dme(eye["dme_risk"]) if graded else "",
        gradable=graded,
        referable=bool(eye["referable"]),
        urgent=bool(graded and eye.get("urgent")),
        changed_by_doctor=changed,
        heatmap_png=heatmap(eye["image_id"]) if graded and with_heatmap else None,
    )


def quality_words(eye: dict[str, Any]) -> str:
    if eye["image_id"] is None:
        return _("No photo was taken of this eye: it cannot be reported as normal.")
    if eye["gradable"] and eye["ai_grade"] is not None:
        return _("Good enough to grade")
    # Ungradable for the software (a doctor may still have graded it by eye).
    reason = reason_words(eye["reason"], eye.get("quality"))
    return f"{_('Image quality: cannot be graded.')} {reason}".strip()


def urgency_changed(eye: dict[str, Any]) -> bool:
    """The doctor set the urgent referral against the software's flag (graded eyes only)."""
    return eye.get("ai_urgent") is not None and eye["ai_urgent"] != eye.get("urgent")


def change_words(eye: dict[str, Any]) -> str:
    software = str(STAGES[eye["ai_grade"]]) if eye["ai_grade"] is not None else _("not gradable")
    if eye["ai_dme_risk"] is not None:
        software = f"{software}; {_dme(eye['ai_dme_risk'])}"
    if urgency_changed(eye):
        urgency = _("urgent referral") if eye["ai_urgent"] else _("no urgent referral")
        software = f"{software}; {urgency}"
    return _(
        "The doctor changed the software's finding (software: %(software)s). Reason: %(reason)s"
    ) % {"software": software, "reason": eye["override_reason"]}


def result_rows(content: dict[str, Any], eyes: list[EyeSection], outcome: Outcome) -> list[Row]:
    worse = next((e for e in eyes if e.eye == content.get("worse_eye")), None)
    rows: list[Row] = []
    if worse is not None:
        rows.append((_("Worse eye"), f"{worse.label}: {worse.stage}"))
        rows.append((_("Macular-edema risk"), worse.dme))
    rows += [
        (_("Recommendation"), str(RECOMMENDATIONS[outcome][0])),
        (_("Follow-up"), str(RECOMMENDATIONS[outcome][1])),
    ]
    return rows


def signature_rows(report: SignedReport) -> list[Row]:
    signed_at = formats.date_format(timezone.localtime(report.signed_at), "DATETIME_FORMAT")
    rows = [
        (_("Signed by"), report.signer_name),
        (_("Signed on"), signed_at),
        (_("Version"), str(report.version)),
    ]
    if report.version > 1:
        rows.append((_("Reason for the amendment"), report.amendment_reason))
    return rows


def amendment_notice(report: SignedReport) -> str:
    if report.version < 2:
        return ""
    notice = _("Amended report, version %(version)s.") % {"version": report.version}
    return f"{notice} {_('Reason for the amendment')}: {report.amendment_reason}"


def heatmap(image_id: int | None) -> bytes | None:
    """The encrypted overlay PNG of that photo; None when it was never made or was erased."""
    grading = Grading.objects.filter(image_id=image_id).first() if image_id else None
    if grading is None or not grading.heatmap:
        return None
    try:
        return crypto.read(grading.heatmap)
    except (OSError, crypto.InvalidToken):
        return None


def _dme(risk: int | None) -> str:
    return str(DME_RISKS[risk]) if risk is not None else ""


def _active_language() -> str:
    return get_language() or "en"
