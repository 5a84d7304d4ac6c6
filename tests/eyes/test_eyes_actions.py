"""Changes to patient data go through do_* actions that write their own audit entry."""

from __future__ import annotations

from datetime import date
from unittest import mock

from carewatch.eyes.screening import actions
from carewatch.eyes.screening.audit import Action, Actor
from carewatch.eyes.screening.models import AuditEntry, Consent, ConsentKind, Patient, Visit
from tests.base import BaseTestCase
from tests.eyes.helpers import make_patient


class ActionTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.actor = Actor(self.clinic, self.screener, self.screener.email, "10.0.0.9")

    def new_patient(self) -> Patient:
        return Patient(
            name="Ravi Kumar",
            date_of_birth=date(1970, 1, 1),
            sex="male",
            diabetes_type="type2",
            diabetes_since=2015,
        )

    def actions_written(self) -> list[str]:
        return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))

    def test_registering_writes_the_patient_both_consents_and_one_entry(self) -> None:
        patient = actions.do_register_patient(self.actor, self.new_patient(), research=False)
        self.assertEqual(patient.clinic, self.clinic)
        self.assertEqual(Consent.objects.filter(patient=patient).count(), 2)
        self.assertEqual(self.actions_written(), [Action.PATIENT_REGISTER])
        entry = AuditEntry.objects.get()
        self.assertEqual((entry.who, entry.ip), (self.screener.email, "10.0.0.9"))

    def test_a_change_whose_entry_cannot_be_written_is_not_saved(self) -> None:
        with (
            mock.patch("carewatch.eyes.screening.actions.record", side_effect=RuntimeError),
            self.assertRaises(RuntimeError),
        ):
            actions.do_register_patient(self.actor, self.new_patient(), research=True)
        self.assertFalse(Patient.objects.exists())
        self.assertFalse(Consent.objects.exists())

    def test_a_visit_needs_consent_and_writes_nothing_without_it(self) -> None:
        patient = make_patient(self.clinic, self.screener)
        Consent.objects.filter(patient=patient).delete()
        with self.assertRaises(actions.NoConsent):
            actions.do_start_visit(self.actor, patient)
        self.assertFalse(Visit.objects.exists())
        self.assertEqual(self.actions_written(), [])

    def test_each_change_records_its_own_action(self) -> None:
        patient = make_patient(self.clinic, self.screener)
        actions.do_record_consent(self.actor, patient, ConsentKind.RESEARCH, True)
        visit = actions.do_start_visit(self.actor, patient)
        self.assertEqual(self.actions_written(), [Action.CONSENT_RECORD, Action.VISIT_START])
        self.assertEqual(AuditEntry.objects.get(action=Action.VISIT_START).visit_id, visit.pk)

    def test_an_erasure_keeps_its_entry_with_the_number_and_reason(self) -> None:
        patient = make_patient(self.clinic, self.screener, number="P7")
        actions.do_erase_patient(self.actor, patient, "Asked by the patient in writing.")
        self.assertFalse(Patient.objects.exists())
        entry = AuditEntry.objects.get(action=Action.PATIENT_ERASE)
        self.assertEqual(
            (entry.patient_number, entry.note), ("P7", "Asked by the patient in writing.")
        )


def test_every_audit_action_name_is_written_once() -> None:
    values = [action.value for action in Action]
    assert len(values) == len(set(values))
    assert all(value.count(".") == 1 for value in values)
