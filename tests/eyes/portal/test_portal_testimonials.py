"""Testimonials: written by the patient with explicit consent, shown with the first name only
after staff approve, hidden again when the patient withdraws."""

from __future__ import annotations

from carewatch.eyes.portal import models
from carewatch.eyes.screening.erasure import erase
from tests.eyes.portal.helpers import PortalTestCase

WORDS = "The photo took two minutes and the doctor explained everything."


class TestimonialTests(PortalTestCase):
    def write(self) -> models.Testimonial:
        self.enter_as()
        self.client.post("/eyes/my/testimonial/", {"text": WORDS, "consent": "on"})
        return models.Testimonial.objects.get()

    def approve(self, testimonial: models.Testimonial, user: object = None) -> int:
        self.client.logout()
        self.login(user or self.doctor)  # type: ignore[arg-type]
        url = f"/eyes/my/staff/demo-centre/testimonials/{testimonial.pk}/"
        return self.client.post(url, {"decision": "approve"}).status_code

    def test_it_refuses_a_testimonial_without_consent_and_keeps_the_words(self) -> None:
        self.enter_as()
        response = self.client.post("/eyes/my/testimonial/", {"text": WORDS})
        self.assertContains(response, "Tick the box to agree to publication")
        self.assertContains(response, WORDS)
        self.assertFalse(models.Testimonial.objects.exists())

    def test_it_waits_for_staff_before_publishing(self) -> None:
        testimonial = self.write()
        self.assertEqual((testimonial.first_name, testimonial.consent), ("Meena", True))
        self.assertNotContains(self.client.get("/eyes/"), WORDS)
        self.assertContains(self.client.get("/eyes/my/testimonial/"), "Waiting for your centre")

    def test_it_publishes_an_approved_testimonial_with_the_first_name_only(self) -> None:
        self.assertEqual(self.approve(self.write()), 302)
        about = self.client.get("/eyes/")
        self.assertContains(about, WORDS)
        self.assertContains(about, "Meena")
        self.assertNotContains(about, "Iyer")

    def test_it_hides_a_testimonial_when_the_patient_withdraws_consent(self) -> None:
        testimonial = self.write()
        self.approve(testimonial)
        self.client.logout()
        self.enter_as()
        url = f"/eyes/my/testimonial/{testimonial.pk}/withdraw/"
        response = self.client.post(url, follow=True)
        self.assertContains(response, "Your words are no longer published.")
        self.assertNotContains(self.client.get("/eyes/"), WORDS)
        self.assertEqual(self.approve(testimonial), 302)
        self.assertNotContains(self.client.get("/eyes/"), WORDS)

    def test_it_removes_the_testimonial_with_the_patients_erasure(self) -> None:
        self.approve(self.write())
        erase(self.patient)
        self.assertNotContains(self.client.get("/eyes/"), WORDS)

    def test_it_lets_staff_stop_publishing(self) -> None:
        testimonial = self.write()
        self.approve(testimonial)
        url = f"/eyes/my/staff/demo-centre/testimonials/{testimonial.pk}/"
        self.client.post(url, {"decision": "hide"})
        self.assertNotContains(self.client.get("/eyes/"), WORDS)

    def test_it_refuses_moderation_to_another_centre_and_to_outsiders(self) -> None:
        testimonial = self.write()
        self.assertEqual(self.approve(testimonial, self.outsider_staff), 404)
        self.assertEqual(self.approve(testimonial, self.charlie), 404)
        self.client.logout()
        url = f"/eyes/my/staff/demo-centre/testimonials/{testimonial.pk}/"
        self.assertIn("/accounts/login/", self.client.post(url)["Location"])
        self.assertNotContains(self.client.get("/eyes/"), WORDS)

    def test_it_lists_testimonials_for_staff_to_check(self) -> None:
        self.write()
        self.client.logout()
        self.login(self.screener)
        response = self.client.get("/eyes/my/staff/demo-centre/feedback/")
        self.assertContains(response, WORDS)
        self.assertContains(response, "Approve and publish")
