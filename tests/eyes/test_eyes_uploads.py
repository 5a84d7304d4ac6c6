"""Hostile and mistaken uploads: each gets a clear sentence, and nothing good is lost."""

from __future__ import annotations

import io
import struct
import zlib

from django.test import override_settings
from django.urls import reverse
from PIL import Image as PILImage

from carewatch.eyes.screening import crypto
from carewatch.eyes.screening.models import Image
from tests.base import BaseTestCase
from tests.eyes.helpers import fundus_like, make_patient, make_visit, upload


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A few hundred bytes whose header claims ten billion pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def one_pixel() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (1, 1)).save(out, "JPEG")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (400, 400)).save(out, "GIF")
    return out.getvalue()


class UploadTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.visit = make_visit(self.patient, self.screener)
        self.url = reverse("screening:visit", args=["demo-centre", self.visit.pk])
        self.login(self.screener)

    def send(self, **files: bytes):
        return self.client.post(self.url, {eye: upload(data) for eye, data in files.items()})

    def assertRefused(self, data: bytes, sentence: str) -> None:
        response = self.send(right=data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, sentence)
        self.assertFalse(Image.objects.exists())

    def test_it_keeps_a_good_photo_of_each_eye(self) -> None:
        response = self.send(right=fundus_like(), left=fundus_like(shade=20, fmt="PNG"))
        self.assertRedirects(response, self.url)
        self.assertEqual(
            sorted(Image.objects.values_list("eye", "content_type")),
            [("left", "image/png"), ("right", "image/jpeg")],
        )

    def test_it_asks_for_at_least_one_photo(self) -> None:
        response = self.client.post(self.url, {})
        self.assertContains(response, "Choose a photo of the right eye, the left eye or both.")

    def test_it_refuses_a_file_that_is_not_an_image(self) -> None:
        self.assertRefused(b"hello, I am a text file\n" * 20, "not a readable JPEG or PNG photo")

    def test_it_refuses_a_pdf_renamed_to_jpg(self) -> None:
        self.assertRefused(
            b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n", "This file is a PDF document"
        )

    def test_it_refuses_a_truncated_jpeg(self) -> None:
        whole = fundus_like()
        self.assertRefused(whole[: len(whole) // 2], "damaged or cut short")

    def test_it_refuses_a_one_pixel_image(self) -> None:
        self.assertRefused(one_pixel(), "The image is only 1x1 pixels, too small to grade")

    def test_it_refuses_a_png_decompression_bomb_without_decoding_it(self) -> None:
        self.assertRefused(png_bomb(), "too large to open safely")

    def test_it_refuses_a_moderate_bomb_under_pillows_own_limit(self) -> None:
        self.assertRefused(png_bomb(8000, 8000), "too large to open safely")

    def test_it_refuses_other_image_types(self) -> None:
        self.assertRefused(gif(), "This file is a GIF image: upload the photo as JPEG or PNG.")

    @override_settings(EYES_MAX_UPLOAD_BYTES=2000)
    def test_it_refuses_a_file_over_the_size_limit(self) -> None:
        self.assertRefused(fundus_like(), "larger than the 0 MB we accept")

    def test_it_refuses_the_same_photo_for_both_eyes(self) -> None:
        photo = fundus_like()
        response = self.send(right=photo, left=photo)
        self.assertContains(response, "The same photo was chosen for both eyes")
        self.assertEqual(list(Image.objects.values_list("eye", flat=True)), ["right"])

    def test_it_refuses_a_photo_uploaded_before(self) -> None:
        photo = fundus_like()
        self.send(right=photo)
        response = self.send(left=photo)
        self.assertContains(
            response, "This exact photo was already uploaded as the right eye of P1"
        )
        self.assertEqual(Image.objects.count(), 1)

    def test_it_keeps_the_good_eye_when_the_other_file_is_bad(self) -> None:
        response = self.send(right=fundus_like(), left=b"%PDF-1.4 nothing")
        self.assertContains(response, "This file is a PDF document")
        self.assertEqual(list(Image.objects.values_list("eye", flat=True)), ["right"])

    def test_it_keeps_an_earlier_photo_when_an_eye_is_taken_again(self) -> None:
        self.send(right=fundus_like())
        self.send(right=fundus_like(shade=30))
        self.assertEqual(Image.objects.filter(eye="right").count(), 2)
        newest = Image.objects.order_by("-id").first()
        self.assertEqual(self.visit.current_image("right"), newest)

    def test_it_strips_exif_by_re_encoding(self) -> None:
        exif = PILImage.Exif()
        exif[0x010F] = "SecretCam"  # Make
        exif[0x013B] = "Dr Somebody"  # Artist
        self.send(right=fundus_like(exif=exif.tobytes()))
        stored = crypto.read(Image.objects.get().photo)
        self.assertNotIn(b"SecretCam", stored)
        self.assertNotIn(b"Dr Somebody", stored)
        self.assertEqual(dict(PILImage.open(io.BytesIO(stored)).getexif()), {})
