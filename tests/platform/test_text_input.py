"""Text people type is stored without bidirectional control characters (U+202A-202E,
U+2066-2069: one reversed a name in the PDF report), and NUL is refused."""

from __future__ import annotations

import json

from django.test import Client

from carewatch.eyes.screening.models import Patient
from carewatch.kids.tracker.models import Child, Place
from carewatch.platform.accounts.models import ApiToken
from carewatch.platform.lib.text import BIDI_CONTROLS, strip_bidi
from tests.base import BaseTestCase
from tests.eyes.helpers import make_patient

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"


def test_every_bidi_control_is_removed_and_nothing_else() -> None:
    controls = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
    assert set(controls) == BIDI_CONTROLS
    assert strip_bidi(f"A{controls}B") == "AB"
    # Joiners shape Devanagari and Tamil: they stay, as do the scripts themselves.
    for text in ["मीना अय्यर", "க்ஷ", "क्\u200dष", "\u200cx", "Ravi Kumar"]:
        assert strip_bidi(text) == text


class StoredTextTests(BaseTestCase):
    def api(self) -> Client:
        _token, key = ApiToken.issue(self.alice, "phone")
        return Client(headers={"Authorization": f"Bearer {key}"})

    def place(self, name: str) -> object:
        body = {
            "family_id": self.family.pk,
            "name": name,
            "lat": 13.1,
            "lon": 80.3,
            "radius_m": 100,
        }
        return self.api().post(
            "/api/kids/places", json.dumps(body), content_type="application/json"
        )

    def test_a_patient_name_loses_its_direction_overrides_however_it_is_saved(self) -> None:
        patient = make_patient(self.clinic, self.screener, name=f"{RLO}reyyI aneeM{PDF}")
        patient.refresh_from_db()
        self.assertEqual(patient.name, "reyyI aneeM")
        Patient.objects.filter(pk=patient.pk).update(name=f"{LRI}Meena{PDI}")  # no save()
        patient.save()
        self.assertNotIn(LRI, Patient.objects.get(pk=patient.pk).name)

    def test_a_place_named_through_the_api_and_a_child_through_the_page(self) -> None:
        self.assertEqual(self.place(f"Sch{RLO}ool").status_code, 201)
        self.assertEqual(Place.objects.get().name, "School")
        self.client.force_login(self.alice)
        self.client.post(
            f"/kids/tracker/family/{self.family.pk}/children/new/",
            {"name": f"{RLO}ahsA", "birth_year": 2016},
        )
        self.assertEqual(Child.objects.get().name, "ahsA")

    def test_nul_is_refused_by_the_api_with_422(self) -> None:
        response = self.place("Sch\x00ool")
        self.assertEqual(response.status_code, 422)
        self.assertTrue(response["Content-Type"].startswith("application/json"))
        self.assertFalse(Place.objects.exists())

    def test_nul_is_refused_by_the_pages(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            f"/kids/tracker/family/{self.family.pk}/children/new/",
            {"name": "As\x00ha", "birth_year": 2016},
        )
        self.assertContains(response, "Null characters are not allowed")
        self.assertFalse(Child.objects.exists())
