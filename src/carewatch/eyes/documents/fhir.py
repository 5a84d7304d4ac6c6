"""A signed report as a FHIR R4 DiagnosticReport with its Observations contained in it.

fhir.resources 8 ships FHIR R5 by default; we validate against its `R4B` models, whose
DiagnosticReport, Observation, Patient, Practitioner and Organization have the same
structure as R4's for every element used here, so the output is valid R4 too.

Codes, and why:
- Eye (Observation.bodySite): SNOMED CT 18944008 "Right eye structure" and 8966001 "Left eye
  structure", the body-site concepts FHIR's own examples use.
- ICDR stage (Observation.valueCodeableConcept): our local code system, codes "0" to "4" as
  the International Clinical DR scale numbers them, because no standard system codes that
  scale as a whole (SNOMED CT has no "no retinopathy" stage concept, LOINC has no answer
  list for it that we could rely on); stages 1-4 also carry their SNOMED CT disorder
  concept (312903003 mild, 312904009 moderate, 312905005 severe non-proliferative,
  59276001 proliferative), so a receiver that knows SNOMED CT can code them.
- DiagnosticReport.code and Observation.code: local codes with plain text; SNOMED CT
  4855003 "Diabetic retinopathy" is the conclusion code when any eye has a stage 1 or worse.
- DME risk: local codes 0/1/2 (none, exudates away from the macula, near it): a screening
  risk from a photo, not a diagnosis of macular edema, so no disorder code is claimed.
- Urgent referral (vision-threatening: severe NPDR, PDR or exudates near the centre): one
  Observation per graded eye, local code "urgent-referral", valueBoolean the signed answer,
  interpretation HL7 v3 "AA" (critical abnormal) when urgent, and two components: the
  software's flag (valueBoolean) and the doctor's decision on it (local codes "confirmed",
  "raised", "set-aside", "not-urgent"); a set-aside carries the doctor's reason in the note.
  When any eye is urgent the report's conclusionCode adds local "refer-urgent", so a
  receiving system can sort on it without parsing the conclusion. Reports signed before
  the flag existed carry neither, as their pages do.

Only what the report needs leaves the centre: the patient is named by the centre's patient
number (no name, birth date or contact), the doctor by name, the centre by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fhir.resources.R4B.diagnosticreport import DiagnosticReport

SNOMED = "http://snomed.info/sct"
LOCAL = "urn:carewatch:fhir:eyes"  # our own code system: a URN, so it names no host
ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
BODY_SITES = {
    "right": {"system": SNOMED, "code": "18944008", "display": "Right eye structure"},
    "left": {"system": SNOMED, "code": "8966001", "display": "Left eye structure"},
}
STAGE_SNOMED = {1: "312903003", 2: "312904009", 3: "312905005", 4: "59276001"}
DIABETIC_RETINOPATHY = {"system": SNOMED, "code": "4855003", "display": "Diabetic retinopathy"}
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
CRITICAL = {"system": INTERPRETATION, "code": "AA", "display": "Critical abnormal"}
URGENT_REFERRAL = "Urgent referral to an ophthalmologist (vision-threatening diabetic retinopathy)"
# The doctor's answer to the software's urgent flag, by (software's flag, signed answer).
URGENT_DECISIONS = {
    (True, True): ("confirmed", "The doctor confirmed the software's urgent referral"),
    (False, True): ("raised", "The doctor raised an urgent referral the software did not flag"),
    (True, False): ("set-aside", "The doctor set aside the software's urgent referral"),
    (False, False): ("not-urgent", "Neither the software nor the doctor called it urgent"),
}


@dataclass(frozen=True)
class ReportFacts:
    """Everything the export needs, already in English words: the builder below is pure."""

    report_id: int
    visit_id: int
    version: int
    content: dict[str, Any]
    visit_date: date
    signed_at: datetime
    signer_name: str
    centre_slug: str
    centre_name: str
    patient_number: str
    conclusion: str
    stage_words: dict[int, str]
    dme_words: dict[int, str]


def build(facts: ReportFacts) -> dict[str, Any]:
    """The DiagnosticReport as a dict, checked against the R4B models before it is returned."""
    status = "final" if facts.version == 1 else "amended"
    observations = [
        obs
        for eye in facts.content["eyes"]
        for obs in (stage_observation(facts, eye, status), dme_observation(facts, eye, status))
    ]
    flagged = [eye for eye in facts.content["eyes"] if "urgent" in eye]  # signed since 2.0
    observations += [urgent_observation(facts, eye, status) for eye in flagged]
    resource: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "id": f"visit-{facts.visit_id}",
        "meta": {"versionId": str(facts.version), "lastUpdated": facts.signed_at.isoformat()},
        "identifier": [
            {"system": f"{LOCAL}:{facts.centre_slug}:report", "value": f"visit-{facts.visit_id}"}
        ],
        "contained": [patient(facts), practitioner(facts), organization(facts), *observations],
        "status": status,
        "code": local("dr-screening", "Diabetic retinopathy screening"),
        "subject": {"reference": "#patient"},
        "effectiveDateTime": facts.visit_date.isoformat(),
        "issued": facts.signed_at.isoformat(),
        "performer": [{"reference": "#doctor"}, {"reference": "#centre"}],
        "resultsInterpreter": [{"reference": "#doctor"}],
        "result": [{"reference": f"#{obs['id']}"} for obs in observations],
        "conclusion": facts.conclusion,
    }
    codes = []
    if any((eye["grade"] or 0) >= 1 for eye in facts.content["eyes"]):
        codes.append({"coding": [DIABETIC_RETINOPATHY]})
    if any(eye.get("urgent") for eye in facts.content["eyes"]):
        codes.append(local("refer-urgent", URGENT_REFERRAL))
    if codes:
        resource["conclusionCode"] = codes
    return validated(resource)


def validated(resource: dict[str, Any]) -> dict[str, Any]:
    """Raises pydantic's ValidationError on a missing required element, an unknown element or
    a badly formed value (dates, instants, references); returns the JSON form. fhir.resources
    does not check code bindings, so our status and codes come from constants above."""
    parsed = DiagnosticReport.model_validate(resource)
    return dict(parsed.model_dump(mode="json", exclude_none=True))


def local(code: str, text: str) -> dict[str, Any]:
    return {"coding": [{"system": LOCAL, "code": code, "display": text}], "text": text}


def patient(facts: ReportFacts) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": "patient",
        "identifier": [
            {
                "system": f"{LOCAL}:{facts.centre_slug}:patient-number",
                "value": facts.patient_number,
                "assigner": {"reference": "#centre"},
            }
        ],
    }


def practitioner(facts: ReportFacts) -> dict[str, Any]:
    return {"resourceType": "Practitioner", "id": "doctor", "name": [{"text": facts.signer_name}]}


def organization(facts: ReportFacts) -> dict[str, Any]:
    return {"resourceType": "Organization", "id": "centre", "name": facts.centre_name}


def observation(facts: ReportFacts, eye: dict[str, Any], status: str, kind: str) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"{kind}-{eye['eye']}",
        "status": status,
        "subject": {"reference": "#patient"},
        "effectiveDateTime": facts.visit_date.isoformat(),
        "performer": [{"reference": "#doctor"}],
        "bodySite": {"coding": [BODY_SITES[eye["eye"]]]},
    }
    if eye["override_reason"]:
        obs["note"] = [{"text": f"Changed by the doctor: {eye['override_reason']}"}]
    return obs


def stage_observation(facts: ReportFacts, eye: dict[str, Any], status: str) -> dict[str, Any]:
    obs = observation(facts, eye, status, "stage")
    obs["code"] = local("icdr-stage", "Diabetic retinopathy severity (ICDR scale)")
    grade = eye["grade"]
    if grade is None:
        return obs | not_graded(eye)
    coding = [{"system": LOCAL, "code": str(grade), "display": facts.stage_words[grade]}]
    if grade in STAGE_SNOMED:
        coding.append({"system": SNOMED, "code": STAGE_SNOMED[grade]})
    return obs | {"valueCodeableConcept": {"coding": coding, "text": facts.stage_words[grade]}}


def dme_observation(facts: ReportFacts, eye: dict[str, Any], status: str) -> dict[str, Any]:
    obs = observation(facts, eye, status, "dme")
    obs["code"] = local("dme-risk", "Diabetic macular edema risk")
    risk = eye["dme_risk"]
    if risk is None:
        return obs | not_graded(eye)
    return obs | {"valueCodeableConcept": local(str(risk), facts.dme_words[risk])}


def urgent_observation(facts: ReportFacts, eye: dict[str, Any], status: str) -> dict[str, Any]:
    obs = observation(facts, eye, status, "urgent")
    obs["code"] = local("urgent-referral", URGENT_REFERRAL)
    if eye["grade"] is None:
        return obs | not_graded(eye)
    obs |= {"valueBoolean": bool(eye["urgent"]), "component": urgent_components(eye)}
    if eye["urgent"]:
        obs["interpretation"] = [{"coding": [CRITICAL], "text": "Urgent referral"}]
    return obs


def urgent_components(eye: dict[str, Any]) -> list[dict[str, Any]]:
    """The software's flag (absent where it could not grade the photo) and the doctor's
    decision on it, read from the flag and the signed answer."""
    software = eye.get("ai_urgent")
    flag = {"valueBoolean": software} if software is not None else not_graded(eye)
    code, text = URGENT_DECISIONS[(bool(software), bool(eye["urgent"]))]
    return [
        {"code": local("software-flag", "Urgent referral flagged by the grading software")} | flag,
        {
            "code": local("doctor-decision", "The doctor's decision on the urgent referral"),
            "valueCodeableConcept": local(code, text),
        },
    ]


def not_graded(eye: dict[str, Any]) -> dict[str, Any]:
    """An ungradable or missing photo: the value is absent, and the reason says why."""
    code = "not-performed" if eye["image_id"] is None else "unknown"
    return {
        "dataAbsentReason": {
            "coding": [{"system": ABSENT, "code": code}],
            "text": eye["reason"] or "Not graded",
        }
    }
