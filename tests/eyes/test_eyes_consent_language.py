"""Consent is read to the patient and recorded in the patient's language, not in the
language of the staff member's screen."""

from __future__ import annotations

from django.urls import reverse

from carewatch.eyes.screening.models import Consent, ConsentKind, record_consent
from tests.base import BaseTestCase
from tests.eyes.helpers import make_patient

HINDI = range(0x0900, 0x0980)


def has_hindi(text: str) -> bool:
    return any(ord(ch) in HINDI for ch in text)


class ConsentLanguageTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.patient.language = "hi"
        self.patient.save()

    def test_the_recorded_wording_is_in_the_patients_language(self) -> None:
        consent = record_consent(self.patient, ConsentKind.RESEARCH, True, self.screener)
        self.assertTrue(has_hindi(consent.wording), consent.wording)

    def test_recording_through_the_page_keeps_the_patients_language(self) -> None:
        self.login(self.screener)  # the screen is in English
        url = reverse("screening:add_consent", args=["demo-centre", self.patient.pk])
        self.client.post(url, {"kind": "research", "given": "yes"})
        consent = Consent.objects.filter(kind="research").get()
        self.assertTrue(has_hindi(consent.wording), consent.wording)

    def test_the_patient_page_shows_the_text_to_read_in_the_patients_language(self) -> None:
        self.login(self.screener)
        page = self.client.get(reverse("screening:patient", args=["demo-centre", self.patient.pk]))
        html = page.content.decode()
        self.assertIn('lang="hi"', html)
        read_aloud = html.split('class="consent-to-read"')[1].split("</section>")[0]
        self.assertTrue(has_hindi(read_aloud))
