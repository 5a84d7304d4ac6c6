"""The visit page's photo boxes: a file or the phone's camera per eye, drop and progress
through a small static script, and a plain form underneath that works without it."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.urls import reverse

from carewatch.eyes.screening.models import Image
from tests.base import BaseTestCase
from tests.eyes.helpers import fundus_like, make_patient, make_visit, upload


class UploadPageTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.visit = make_visit(make_patient(self.clinic, self.screener), self.screener)
        self.url = reverse("screening:visit", args=["demo-centre", self.visit.pk])
        self.login(self.screener)

    def test_it_offers_each_eye_a_file_input_and_a_camera_input(self) -> None:
        page = self.client.get(self.url).content.decode()
        for eye in ("right", "left"):
            camera = re.search(rf'<input[^>]*name="{eye}_camera"[^>]*>', page)
            assert camera is not None
            self.assertIn('capture="environment"', camera.group())
            self.assertIn('accept="image/*"', camera.group())
            chosen = re.search(rf'<input[^>]*name="{eye}"[^>]*>', page)
            assert chosen is not None
            self.assertNotIn("capture", chosen.group())  # files from a fundus camera too
            self.assertIn("application/dicom", chosen.group())
        self.assertEqual(page.count("data-drop-zone"), 2)
        self.assertIn("Take photo", page)

    def test_it_sends_the_form_with_htmx_and_loads_the_script_once_outside_the_swap(self) -> None:
        page = self.client.get(self.url).content.decode()
        self.assertIn('enctype="multipart/form-data"', page)  # the plain form, without JS
        self.assertIn('hx-encoding="multipart/form-data"', page)
        self.assertIn('hx-select="#main"', page)
        main_end = page.index("</main>")
        self.assertEqual(page.count("screening/upload.js"), 1)
        self.assertGreater(page.index("screening/upload.js"), main_end)
        script = finders.find("screening/upload.js")
        assert isinstance(script, str)
        with open(script, encoding="utf-8") as fh:
            source = fh.read()
        self.assertIn("htmx:xhr:progress", source)
        self.assertIn("drop", source)

    def test_it_keeps_a_photo_taken_with_the_phone_camera(self) -> None:
        response = self.client.post(self.url, {"left_camera": upload(fundus_like())})
        self.assertRedirects(response, self.url)
        self.assertEqual(list(Image.objects.values_list("eye", flat=True)), ["left"])

    def test_it_refuses_a_file_and_a_camera_photo_for_one_eye_and_keeps_the_other_eye(
        self,
    ) -> None:
        response = self.client.post(
            self.url,
            {
                "right": upload(fundus_like(shade=10)),
                "right_camera": upload(fundus_like(shade=20)),
                "left": upload(fundus_like(shade=30)),
            },
        )
        self.assertContains(response, "Choose a file or take a photo for this eye, not both")
        self.assertEqual(list(Image.objects.values_list("eye", flat=True)), ["left"])

    def test_it_answers_an_htmx_upload_with_the_whole_page_to_swap_in(self) -> None:
        response = self.client.post(
            self.url, {"right": upload(fundus_like())}, HTTP_HX_REQUEST="true", follow=True
        )
        self.assertContains(response, '<main id="main"')
        self.assertContains(response, "Photos received: grading has started.")
        self.assertContains(response, 'id="visit-progress"')  # polling resumes after the swap

    def test_it_refuses_outsiders_before_reading_any_photo(self) -> None:
        self.login(self.outsider_staff)
        response = self.client.post(self.url, {"right_camera": upload(fundus_like())})
        self.assertEqual(response.status_code, 404)
        self.client.logout()
        response = self.client.post(self.url, {"right_camera": upload(fundus_like())})
        self.assertRedirects(response, f"/accounts/login/?next={self.url}")
        self.assertFalse(Image.objects.exists())
