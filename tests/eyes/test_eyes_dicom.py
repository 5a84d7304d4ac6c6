"""DICOM ophthalmic photographs: pixels, the eye and the patient read from the tags."""

from __future__ import annotations

import io

from django.urls import reverse
from PIL import Image as PILImage

from carewatch.eyes.screening import crypto
from carewatch.eyes.screening.models import Image
from tests.base import BaseTestCase
from tests.eyes.helpers import dicom_photo, make_patient, make_visit, upload


class DicomTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener, number="P1")
        self.visit = make_visit(self.patient, self.screener)
        self.url = reverse("screening:visit", args=["demo-centre", self.visit.pk])
        self.login(self.screener)

    def send(self, **files: bytes):
        data = {eye: upload(raw, "photo.dcm", "application/dicom") for eye, raw in files.items()}
        return self.client.post(self.url, data)

    def stored(self) -> PILImage.Image:
        return PILImage.open(io.BytesIO(crypto.read(Image.objects.get().photo)))

    def test_it_keeps_an_uncompressed_dicom_photo_as_png_without_its_header(self) -> None:
        self.assertRedirects(self.send(right=dicom_photo()), self.url)
        photo = self.stored()
        self.assertEqual((photo.format, photo.size), ("PNG", (300, 300)))
        self.assertNotIn(b"Iyer", crypto.read(Image.objects.get().photo))
        self.assertEqual(Image.objects.get().warning, "")

    def test_it_reads_a_jpeg_compressed_dicom_photo(self) -> None:
        self.assertRedirects(self.send(left=dicom_photo(laterality="L", jpeg=True)), self.url)
        photo = self.stored().convert("RGB")
        red, green, _ = photo.getpixel((150, 150))  # type: ignore[misc]
        self.assertGreater(red, 150)  # colours survive the YBR to RGB conversion
        self.assertLess(green, 120)

    def test_it_refuses_a_dicom_photo_chosen_for_the_wrong_eye(self) -> None:
        response = self.send(left=dicom_photo(laterality="R"))
        self.assertContains(
            response,
            "This DICOM file says it shows the right eye, but it was chosen for the left eye",
        )
        self.assertFalse(Image.objects.exists())

    def test_it_trusts_the_screener_when_the_file_names_no_eye(self) -> None:
        self.assertRedirects(self.send(left=dicom_photo(laterality="")), self.url)

    def test_it_warns_when_the_file_names_another_patient(self) -> None:
        self.send(right=dicom_photo(patient_id="X-99", name="Das^Arun"))
        image = Image.objects.get()
        self.assertIn("names patient Das Arun (ID X-99), not P1", image.warning)
        self.assertContains(self.client.get(self.url), "names patient Das Arun")

    def test_it_refuses_a_damaged_dicom_file(self) -> None:
        whole = dicom_photo()
        response = self.send(right=whole[: len(whole) // 3])
        self.assertContains(response, "This DICOM file cannot be read")
        self.assertFalse(Image.objects.exists())

    def test_it_refuses_a_dicom_file_without_a_photo(self) -> None:
        header_only = b"\0" * 128 + b"DICM" + b"\0" * 400
        self.assertContains(self.send(right=header_only), "This DICOM file")
        self.assertFalse(Image.objects.exists())
