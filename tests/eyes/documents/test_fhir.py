"""FHIR R4 export of a signed version: valid against the R4B models, final or amended."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from django.urls import reverse
from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.observation import Observation
from pydantic import ValidationError

from carewatch.eyes.documents import fhir
from carewatch.eyes.documents.fhir_export import diagnostic_report, facts_of
from carewatch.eyes.review.signing import sign
from carewatch.eyes.review.snapshot import EyeDecision
from carewatch.eyes.screening.models import AuditEntry
from tests.base import BaseTestCase
from tests.eyes.factories.photos import UNGRADABLE, Finding, graded_visit
from tests.eyes.helpers import make_patient


class FhirTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener, "P-77", "Meena Iyer")
        visit = graded_visit(self.patient, self.screener, left=Finding(2, 1, True))
        self.visit = visit
        self.report = sign(visit, {}, "Refer to the eye hospital.", self.doctor)

    def contained(self, resource: dict, kind: str) -> list[dict]:
        return [r for r in resource["contained"] if r["resourceType"] == kind]

    def test_it_round_trips_through_the_r4b_models(self) -> None:
        resource = diagnostic_report(self.report, self.clinic)
        parsed = DiagnosticReport.model_validate_json(json.dumps(resource))
        self.assertEqual(parsed.status, "final")
        self.assertEqual(json.loads(parsed.model_dump_json(exclude_none=True)), resource)

    def test_it_carries_the_required_fields_and_the_signature(self) -> None:
        resource = diagnostic_report(self.report, self.clinic)
        self.assertEqual(resource["resourceType"], "DiagnosticReport")
        self.assertEqual(resource["code"]["text"], "Diabetic retinopathy screening")
        self.assertEqual(resource["subject"], {"reference": "#patient"})
        self.assertEqual(resource["effectiveDateTime"], self.visit.date.isoformat())
        self.assertEqual(resource["issued"][:19], self.report.signed_at.isoformat()[:19])
        self.assertEqual(
            resource["performer"], [{"reference": "#doctor"}, {"reference": "#centre"}]
        )
        doctor = self.contained(resource, "Practitioner")[0]
        self.assertEqual(doctor["name"][0]["text"], self.report.signer_name)
        self.assertEqual(self.contained(resource, "Organization")[0]["name"], "Demo Centre")
        self.assertIn("See an eye doctor within 3 to 6 months.", resource["conclusion"])
        self.assertIn("Refer to the eye hospital.", resource["conclusion"])
        self.assertEqual(resource["conclusionCode"][0]["coding"][0]["code"], "4855003")

    def test_it_names_the_patient_by_the_centres_number_only(self) -> None:
        resource = diagnostic_report(self.report, self.clinic)
        patient = self.contained(resource, "Patient")[0]
        self.assertEqual(patient["identifier"][0]["value"], "P-77")
        self.assertEqual(set(patient), {"resourceType", "id", "identifier"})
        text = json.dumps(resource)
        self.assertNotIn("Meena", text)
        self.assertNotIn(self.patient.date_of_birth.isoformat(), text)
        self.assertNotIn(self.patient.phone, text)

    def test_it_gives_one_stage_one_edema_and_one_urgent_referral_observation_per_eye(
        self,
    ) -> None:
        resource = diagnostic_report(self.report, self.clinic)
        observations = self.contained(resource, "Observation")
        self.assertEqual(len(observations), 6)
        self.assertEqual(
            [r["reference"] for r in resource["result"]], [f"#{o['id']}" for o in observations]
        )
        by_id = {o["id"]: o for o in observations}
        left = by_id["stage-left"]
        Observation.model_validate(left)
        self.assertEqual(left["bodySite"]["coding"][0]["code"], "8966001")
        self.assertEqual(by_id["stage-right"]["bodySite"]["coding"][0]["code"], "18944008")
        codes = {(c["system"], c["code"]) for c in left["valueCodeableConcept"]["coding"]}
        self.assertEqual(codes, {(fhir.LOCAL, "2"), (fhir.SNOMED, "312904009")})
        self.assertEqual(by_id["dme-left"]["valueCodeableConcept"]["coding"][0]["code"], "1")
        self.assertEqual(by_id["stage-right"]["valueCodeableConcept"]["coding"][0]["code"], "0")

    def test_it_marks_an_amended_version_and_its_doctors_change(self) -> None:
        second = sign(
            self.visit,
            {"left": EyeDecision(3, None, "Venous beading.")},
            "",
            self.doctor,
            seen_version=1,
            amendment_reason="Second look",
        )
        resource = diagnostic_report(second, self.clinic)
        self.assertEqual(resource["status"], "amended")
        self.assertEqual(resource["meta"]["versionId"], "2")
        self.assertEqual(resource["id"], diagnostic_report(self.report, self.clinic)["id"])
        left = next(o for o in self.contained(resource, "Observation") if o["id"] == "stage-left")
        self.assertEqual(left["status"], "amended")
        self.assertIn("Venous beading.", left["note"][0]["text"])

    def test_it_reports_an_ungradable_eye_as_absent_never_as_stage_zero(self) -> None:
        visit = graded_visit(
            make_patient(self.clinic, self.screener, "P-78"), self.screener, left=UNGRADABLE
        )
        resource = diagnostic_report(sign(visit, {}, "", self.doctor), self.clinic)
        left = next(o for o in self.contained(resource, "Observation") if o["id"] == "stage-left")
        self.assertNotIn("valueCodeableConcept", left)
        self.assertEqual(
            left["dataAbsentReason"]["text"],
            "The photo is too dark; retake it with more light or a dilated pupil.",
        )
        self.assertNotIn("conclusionCode", resource)

    def test_it_refuses_a_report_missing_a_required_element_or_with_a_bad_instant(self) -> None:
        good = diagnostic_report(self.report, self.clinic)
        without_status = {k: v for k, v in good.items() if k != "status"}
        for bad in (without_status, good | {"issued": "yesterday"}):
            with pytest.raises(ValidationError):
                fhir.validated(bad)

    def test_it_downloads_as_fhir_json_for_the_centres_staff_and_audits_it(self) -> None:
        url = reverse("documents:fhir", args=["demo-centre", self.report.pk])
        for user in (self.doctor, self.screener, self.clinic_admin):
            self.login(user)
            response = self.client.get(url)
            self.assertEqual(response["Content-Type"], "application/fhir+json")
            self.assertIn("attachment", response["Content-Disposition"])
            DiagnosticReport.model_validate_json(response.content)
        self.assertEqual(AuditEntry.objects.filter(action="report.export_fhir").count(), 3)


class FhirUrgentReferralTests(BaseTestCase):
    """The urgent-referral flag and the doctor's decision on it travel in the export."""

    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener, "P-90")

    def signed(self, left: Finding, decision: EyeDecision | None = None) -> dict:
        visit = graded_visit(self.patient, self.screener, left=left)
        decisions = {"left": decision} if decision else {}
        return diagnostic_report(sign(visit, decisions, "", self.doctor), self.clinic)

    def urgent(self, resource: dict, eye: str = "left") -> dict:
        return next(r for r in resource["contained"] if r.get("id") == f"urgent-{eye}")

    def decision(self, obs: dict) -> str:
        component = next(c for c in obs["component"] if c["code"]["text"].startswith("The doc"))
        return component["valueCodeableConcept"]["coding"][0]["code"]

    def test_it_exports_a_confirmed_urgent_referral_as_critical_with_a_conclusion_code(self):
        resource = self.signed(Finding(3, 0, urgent=True))
        obs = self.urgent(resource)
        Observation.model_validate(obs)
        self.assertEqual(obs["code"]["coding"][0]["code"], "urgent-referral")
        self.assertIs(obs["valueBoolean"], True)
        self.assertEqual(obs["interpretation"][0]["coding"][0]["code"], "AA")
        self.assertEqual(obs["component"][0]["valueBoolean"], True)  # the software's flag
        self.assertEqual(self.decision(obs), "confirmed")
        self.assertIn(f"#{obs['id']}", [r["reference"] for r in resource["result"]])
        codes = [c["coding"][0]["code"] for c in resource["conclusionCode"]]
        self.assertEqual(codes, ["4855003", "refer-urgent"])

    def test_it_exports_an_urgent_referral_the_doctor_set_aside_with_the_reason(self):
        aside = EyeDecision(urgent=False, reason="Old laser scars, stable for years.")
        resource = self.signed(Finding(3, 0, urgent=True), aside)
        obs = self.urgent(resource)
        self.assertIs(obs["valueBoolean"], False)
        self.assertNotIn("interpretation", obs)
        self.assertEqual(obs["component"][0]["valueBoolean"], True)
        self.assertEqual(self.decision(obs), "set-aside")
        self.assertIn("Old laser scars", obs["note"][0]["text"])
        codes = [c["coding"][0]["code"] for c in resource["conclusionCode"]]
        self.assertNotIn("refer-urgent", codes)

    def test_it_exports_an_urgent_referral_the_doctor_raised(self):
        raised = EyeDecision(urgent=True, reason="Venous beading in four quadrants.")
        obs = self.urgent(self.signed(Finding(2, 0, urgent=False), raised))
        self.assertIs(obs["valueBoolean"], True)
        self.assertEqual(obs["component"][0]["valueBoolean"], False)
        self.assertEqual(self.decision(obs), "raised")

    def test_it_says_neither_called_an_unflagged_eye_urgent(self):
        obs = self.urgent(self.signed(Finding(1, 0, urgent=False)), "right")
        self.assertIs(obs["valueBoolean"], False)
        self.assertEqual(self.decision(obs), "not-urgent")

    def test_it_reports_the_urgency_of_an_ungradable_eye_as_absent(self):
        obs = self.urgent(self.signed(UNGRADABLE))
        self.assertNotIn("valueBoolean", obs)
        self.assertEqual(obs["dataAbsentReason"]["coding"][0]["code"], "unknown")

    def test_a_report_signed_before_the_flag_exports_no_urgent_observation(self):
        visit = graded_visit(self.patient, self.screener, left=Finding(4, 0))
        report = sign(visit, {}, "", self.doctor)
        facts = facts_of(report, self.clinic)
        eyes = [
            {k: v for k, v in eye.items() if k not in ("urgent", "ai_urgent")}
            for eye in facts.content["eyes"]
        ]
        resource = fhir.build(replace(facts, content=facts.content | {"eyes": eyes}))
        ids = [r.get("id") for r in resource["contained"]]
        self.assertNotIn("urgent-left", ids)
        self.assertNotIn("urgent-right", ids)
        self.assertNotIn("refer-urgent", json.dumps(resource["conclusionCode"]))

    def test_it_refuses_another_centres_staff_the_urgent_referral(self):
        visit = graded_visit(self.patient, self.screener, left=Finding(4, 0, urgent=True))
        report = sign(visit, {}, "", self.doctor)
        self.login(self.outsider_staff)
        for slug in ("demo-centre", "other-centre"):
            response = self.client.get(reverse("documents:fhir", args=[slug, report.pk]))
            self.assertEqual(response.status_code, 404)
            self.assertNotIn(b"urgent", response.content)
        self.assertFalse(AuditEntry.objects.filter(action="report.export_fhir").exists())


@pytest.mark.parametrize(
    ("software", "signed", "decision"),
    [
        (True, True, "confirmed"),
        (False, True, "raised"),
        (None, True, "raised"),  # the doctor graded a photo the software could not
        (True, False, "set-aside"),
        (False, False, "not-urgent"),
    ],
)
def test_the_doctors_urgent_decision_is_read_from_the_softwares_flag_and_the_signed_answer(
    software: bool | None, signed: bool, decision: str
) -> None:
    eye = {"ai_urgent": software, "urgent": signed, "image_id": 7, "reason": "too_dark"}
    flag, doctor = fhir.urgent_components(eye)
    assert flag.get("valueBoolean", "absent") == ("absent" if software is None else software)
    assert doctor["valueCodeableConcept"]["coding"][0]["code"] == decision
