"""FHIR R4 export of a signed version: valid against the R4B models, final or amended."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.observation import Observation
from pydantic import ValidationError

from carewatch.eyes.documents import fhir
from carewatch.eyes.documents.fhir_export import diagnostic_report
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

    def test_it_gives_one_stage_and_one_edema_observation_per_eye(self) -> None:
        resource = diagnostic_report(self.report, self.clinic)
        observations = self.contained(resource, "Observation")
        self.assertEqual(len(observations), 4)
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
