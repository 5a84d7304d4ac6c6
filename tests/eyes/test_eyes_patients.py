"""Registering patients at the desk, consent records and search."""

from __future__ import annotations

from django.urls import reverse

from carewatch.eyes.screening.models import Consent, ConsentKind, Patient
from tests.base import BaseTestCase
from tests.eyes.helpers import make_patient

SLUG = "demo-centre"


def desk_form(**changes: str) -> dict[str, str]:
    form = {
        "name": "Ravi Kumar",
        "date_of_birth": "1971-06-15",
        "sex": "male",
        "phone": "+919811111111",
        "email": "",
        "language": "en",
        "diabetes_type": "type2",
        "diabetes_since": "2010",
        "number": "",
        "consent_screening": "on",
    }
    return form | changes


class PatientTests(BaseTestCase):
    def register(self, **changes: str):
        self.login(self.screener)
        return self.client.post(reverse("screening:register", args=[SLUG]), desk_form(**changes))

    def test_it_registers_a_walk_in_with_a_new_number_and_consent(self) -> None:
        response = self.register()
        patient = Patient.objects.get()
        self.assertRedirects(response, reverse("screening:patient", args=[SLUG, patient.pk]))
        self.assertEqual(patient.clinic, self.clinic)
        self.assertRegex(patient.number, r"^P\d{6}$")
        self.assertTrue(patient.has_consent(ConsentKind.SCREENING))
        self.assertFalse(patient.has_consent(ConsentKind.RESEARCH))
        screening = patient.consent(ConsentKind.SCREENING)
        assert screening is not None
        self.assertEqual(screening.recorded_by, self.screener)
        self.assertIn("graded by software", screening.wording)

    def test_it_records_optional_research_consent_separately(self) -> None:
        self.register(consent_research="on", number="C-17")
        patient = Patient.objects.get(number="C-17")
        self.assertTrue(patient.has_consent(ConsentKind.RESEARCH))
        self.assertEqual(patient.consents.count(), 2)

    def test_it_stores_a_mobile_number_typed_the_usual_way_in_international_form(self) -> None:
        self.register(phone="098111 11111", number="M-1")
        self.assertEqual(Patient.objects.get(number="M-1").phone, "+919811111111")

    def test_it_refuses_a_phone_number_that_cannot_receive_sms_and_keeps_the_form(self) -> None:
        response = self.register(phone="12345", name="Meera Iyer")
        self.assertEqual(Patient.objects.count(), 0)
        self.assertContains(response, "Enter a 10-digit mobile number")
        self.assertContains(response, "Meera Iyer")

    def test_it_keeps_the_language_the_patient_reads(self) -> None:
        self.register(language="ta", number="T-1")
        patient = Patient.objects.get(number="T-1")
        self.assertEqual(patient.language, "ta")
        response = self.client.get(reverse("screening:patient", args=[SLUG, patient.pk]))
        self.assertContains(response, "Tamil")

    def test_it_refuses_a_language_we_do_not_offer(self) -> None:
        response = self.register(language="xx")
        self.assertContains(response, "Select a valid choice")
        self.assertFalse(Patient.objects.exists())

    def test_it_refuses_registration_without_screening_consent(self) -> None:
        form = desk_form()
        del form["consent_screening"]
        self.login(self.screener)
        response = self.client.post(reverse("screening:register", args=[SLUG]), form)
        self.assertContains(response, "Screening needs the patient")
        self.assertFalse(Patient.objects.exists())

    def test_it_needs_a_phone_or_an_email(self) -> None:
        response = self.register(phone="")
        self.assertContains(response, "Enter a mobile number or an e-mail address")
        self.assertFalse(Patient.objects.exists())

    def test_it_refuses_a_number_already_used_at_the_centre(self) -> None:
        make_patient(self.clinic, self.screener, number="P1")
        response = self.register(number="P1")
        self.assertContains(response, "Another patient has this number")
        self.assertEqual(Patient.objects.count(), 1)

    def test_it_allows_the_same_number_at_another_centre(self) -> None:
        make_patient(self.other_clinic, self.outsider_staff, number="P1")
        self.register(number="P1")
        self.assertEqual(Patient.objects.filter(number="P1").count(), 2)

    def test_it_refuses_diabetes_found_before_birth_or_in_the_future(self) -> None:
        self.assertContains(self.register(diabetes_since="1950"), "before birth")
        self.assertContains(self.register(diabetes_since="2999"), "not later than this year")

    def test_it_records_a_change_of_mind_as_a_new_consent(self) -> None:
        patient = make_patient(self.clinic, self.screener)
        self.login(self.doctor)
        url = reverse("screening:add_consent", args=[SLUG, patient.pk])
        self.client.post(url, {"kind": "research", "given": "yes"})
        self.client.post(url, {"kind": "research", "given": "no"})
        self.assertFalse(patient.has_consent(ConsentKind.RESEARCH))
        self.assertEqual(Consent.objects.filter(patient=patient, kind="research").count(), 2)

    def test_it_will_not_start_a_visit_without_screening_consent(self) -> None:
        patient = make_patient(self.clinic, self.screener)
        self.login(self.screener)
        self.client.post(
            reverse("screening:add_consent", args=[SLUG, patient.pk]),
            {"kind": "screening", "given": "no"},
        )
        self.client.post(reverse("screening:new_visit", args=[SLUG, patient.pk]))
        self.assertFalse(patient.visits.exists())

    def test_it_finds_patients_by_name_or_number_in_this_centre_only(self) -> None:
        make_patient(self.clinic, self.screener, number="P1", name="Meena Iyer")
        make_patient(self.clinic, self.screener, number="P2", name="Arjun Rao")
        make_patient(self.other_clinic, self.outsider_staff, number="P3", name="Meena Das")
        self.login(self.screener)
        url = reverse("screening:patients", args=[SLUG])
        by_name = self.client.get(url, {"q": "meena"})
        self.assertContains(by_name, "Meena Iyer")
        self.assertNotContains(by_name, "Arjun Rao")
        self.assertNotContains(by_name, "Meena Das")
        by_number = self.client.get(url, {"q": "p2"})
        self.assertContains(by_number, "Arjun Rao")
        self.assertNotContains(by_number, "Meena Iyer")
        self.assertContains(self.client.get(url, {"q": "nobody"}), "No patient matches")
