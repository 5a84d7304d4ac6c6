"""Grading runs as a task on the stored photo and keeps the model version."""

from __future__ import annotations

import io
from unittest import mock

from django.urls import reverse
from huey.contrib.djhuey import HUEY
from PIL import Image as PILImage

import retina
from carewatch.eyes.screening import crypto
from carewatch.eyes.screening.models import Grading, Image, ImageStatus, VisitStatus
from tests.base import BaseTestCase
from tests.eyes.helpers import aptos_photos, fundus_like, make_patient, make_visit, upload

MODEL_VERSION = retina.load_bundle().version


def black_photo() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (400, 400), "black").save(out, "JPEG")
    return out.getvalue()


class GradingCase(BaseTestCase):
    """A visit of one patient, the screener logged in, tasks run in the request."""

    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener)
        self.visit = make_visit(self.patient, self.screener)
        self.url = reverse("screening:visit", args=["demo-centre", self.visit.pk])
        self.progress = reverse("screening:visit_progress", args=["demo-centre", self.visit.pk])
        self.login(self.screener)
        self.was_immediate = HUEY.immediate
        HUEY.immediate = True  # tasks run in the request, in memory

    def tearDown(self) -> None:
        HUEY.immediate = self.was_immediate
        super().tearDown()

    def send(self, **files: bytes) -> None:
        with self.captureOnCommitCallbacks(execute=True):  # the task runs (huey immediate)
            self.client.post(self.url, {eye: upload(data) for eye, data in files.items()})


class GradingTests(GradingCase):
    def test_it_grades_real_photos_of_both_eyes_and_keeps_the_model_version(self) -> None:
        right, left = aptos_photos(2)
        self.send(right=right.read_bytes(), left=left.read_bytes())
        gradings = Grading.objects.all()
        self.assertEqual(len(gradings), 2)
        for grading in gradings:
            self.assertTrue(grading.gradable, grading.reason)
            self.assertIn(grading.grade, range(5))
            self.assertEqual(grading.model_version, MODEL_VERSION)
            assert grading.grade_probabilities is not None
            self.assertAlmostEqual(sum(grading.grade_probabilities), 1, places=2)
            self.assertIn(grading.dme_risk, (0, 1, 2))
            self.assertIsNotNone(grading.referable)
            heatmap = crypto.read(grading.heatmap)
            self.assertTrue(heatmap.startswith(b"\x89PNG"))
            self.assertFalse(grading.heatmap.open("rb").read().startswith(b"\x89PNG"))
            self.assertEqual(grading.image.status, ImageStatus.GRADED)
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.status, VisitStatus.GRADED)
        page = self.client.get(self.progress)
        self.assertContains(page, MODEL_VERSION)
        self.assertContains(page, "diabetic retinopathy (ICDR grade")
        self.assertNotContains(page, 'hx-trigger="every 2s"')  # done: polling stops

    def test_it_asks_for_a_retake_of_a_black_photo_and_gives_no_grade(self) -> None:
        self.send(right=black_photo())
        grading = Grading.objects.get()
        self.assertFalse(grading.gradable)
        self.assertIsNone(grading.grade)
        self.assertIsNone(grading.referable)
        self.assertTrue(grading.reason)
        self.assertEqual(grading.model_version, MODEL_VERSION)
        self.assertEqual(grading.image.status, ImageStatus.UNGRADABLE)
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.status, VisitStatus.RETAKE)
        page = self.client.get(self.url)
        self.assertContains(page, "This photo cannot be graded")
        self.assertContains(page, grading.reason)

    def test_it_polls_while_a_photo_waits_to_be_graded(self) -> None:
        self.client.post(self.url, {"right": upload(fundus_like())})  # task not run yet
        page = self.client.get(self.progress)
        self.assertContains(page, 'hx-trigger="every 2s"')
        self.assertContains(page, "Waiting to be graded")

    def test_it_keeps_the_photo_and_offers_a_retry_when_grading_fails(self) -> None:
        photo = fundus_like()
        with mock.patch("carewatch.eyes.screening.grading.grader", side_effect=RuntimeError):
            self.send(right=photo)
        image = Image.objects.get()
        self.assertEqual(image.status, ImageStatus.FAILED)
        self.assertFalse(Grading.objects.exists())
        self.assertContains(self.client.get(self.url), "Grading this photo failed")
        self.send(right=photo)  # the same file again is a retry, not a duplicate
        self.assertEqual(Image.objects.count(), 2)
        self.assertTrue(Grading.objects.exists())

    def test_it_never_stores_a_grade_for_an_ungradable_photo(self) -> None:
        from django.db import IntegrityError

        image = Image.objects.create(
            visit=self.visit, eye="left", width=1, height=1, sha256="x", uploaded_by=self.screener
        )
        with self.assertRaises(IntegrityError):
            Grading.objects.create(image=image, model_version="x", gradable=False, grade=0)
