"""The visit page's photo boxes: a file or the phone's camera per eye, drop and progress
through a small static script, and a plain form underneath that works without it."""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from carewatch.eyes.screening.models import Image
from tests.base import BaseTestCase
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path
from tests.conftest import require
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


@pytest.mark.browser
class UploadInBrowserTests(BaseTestCase):
    """Chromium runs upload.js and htmx for real against the page Django rendered.

    Django cannot use this test's database connection while Playwright's event loop runs
    (it opens another connection, outside the test's transaction), so the page is rendered
    before the browser starts, the upload the browser sends is kept as raw bytes, and those
    bytes are posted to the view after the browser has closed."""

    ORIGIN = "http://carewatch.test"

    def setUp(self) -> None:
        super().setUp()
        self.visit = make_visit(make_patient(self.clinic, self.screener), self.screener)
        self.path = reverse("screening:visit", args=["demo-centre", self.visit.pk])
        self.login(self.screener)
        self.page_html = self.client.get(self.path).content
        self.sent: list[tuple[str, str, bytes]] = []

    def answer(self, route: Any) -> None:
        request, path = route.request, urlsplit(route.request.url).path
        if path.startswith("/static/"):
            found = finders.find(path.removeprefix("/static/"))
            if not isinstance(found, str):
                route.fulfill(status=404)
                return
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            route.fulfill(status=200, body=Path(found).read_bytes(), content_type=kind)
            return
        if path != self.path:
            route.fulfill(status=404)
            return
        if request.method == "POST":
            content_type = request.headers.get("content-type", "")
            self.sent.append(
                (content_type, request.headers.get("hx-request", ""), request.post_data_buffer)
            )
        route.fulfill(status=200, body=self.page_html, content_type="text/html; charset=utf-8")

    def test_it_previews_a_dropped_photo_and_sends_it_with_progress(self) -> None:
        executable = chromium_path()
        require(executable is not None, "Chromium (Debian package `chromium`)")
        from playwright.sync_api import sync_playwright

        photo = fundus_like()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 390, "height": 844})
                page.route("**/*", self.answer)
                page.goto(self.ORIGIN + self.path)
                page.wait_for_selector("[data-drop-hint]:not([hidden])")
                page.evaluate(RECORD_PROGRESS)
                drop = page.evaluate_handle(DROPPED_FILE, base64.b64encode(photo).decode())
                box = "[data-drop-zone]:has(input[name=right])"
                page.dispatch_event(box, "dragover", {"dataTransfer": drop})
                page.dispatch_event(box, "drop", {"dataTransfer": drop})
                page.wait_for_selector(f"{box} [data-preview]:not([hidden]) img[src^='blob:']")
                self.assertIn("eye.jpg", page.inner_text(f"{box} figcaption"))
                page.click("#photos button[type=submit]")
                page.wait_for_function("window.swapped === true")
                self.assertEqual(page.url, self.ORIGIN + self.path)  # swapped, not navigated
                self.assertTrue(page.evaluate("window.progressSeen.includes(100)"))
                self.assertTrue(page.is_hidden(f"{box} [data-preview]"))  # the fresh form
            finally:
                browser.close()
        self.assertEqual(len(self.sent), 1)
        content_type, htmx, body = self.sent[0]
        self.assertEqual(htmx, "true")
        self.assertIn(photo, body)
        response = self.client.generic("POST", self.path, body, content_type=content_type)
        self.assertRedirects(response, self.path)
        self.assertEqual(list(Image.objects.values_list("eye", flat=True)), ["right"])


RECORD_PROGRESS = """() => {
  window.progressSeen = [];
  document.addEventListener("htmx:afterSwap", () => { window.swapped = true; });
  document.addEventListener("htmx:xhr:progress", (event) => {
    const bar = event.target.closest("[data-upload]").querySelector("[data-progress]");
    if (!bar.hidden) window.progressSeen.push(bar.querySelector("progress").value);
  });
}"""

DROPPED_FILE = """(b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "eye.jpg", { type: "image/jpeg" }));
  return transfer;
}"""
