"""Feedback and preferences from the patient's pages; the centre's summary for its staff."""

from __future__ import annotations

from carewatch.eyes.portal.contact import channel_for
from carewatch.eyes.portal.models import Contact, Feedback, Preferences
from tests.eyes.portal.helpers import PortalTestCase

SUMMARY = "/eyes/my/staff/demo-centre/feedback/"


class FeedbackTests(PortalTestCase):
    def test_it_keeps_the_patients_satisfaction_and_comment_for_their_centre(self) -> None:
        self.enter_as()
        response = self.client.post(
            "/eyes/my/feedback/", {"satisfaction": "4", "comment": "Quick and kind."}, follow=True
        )
        self.assertContains(response, "Thank you: your centre will read what you wrote.")
        feedback = Feedback.objects.get()
        self.assertEqual(
            (feedback.patient, feedback.clinic, feedback.satisfaction, feedback.comment),
            (self.patient, self.clinic, 4, "Quick and kind."),
        )

    def test_it_offers_the_scores_one_to_five_and_nothing_else(self) -> None:
        self.enter_as()
        response = self.client.get("/eyes/my/feedback/")
        self.assertEqual(
            [value for value, _ in response.context["form"].fields["satisfaction"].choices],
            [1, 2, 3, 4, 5],
        )
        self.assertNotContains(response, "-----")

    def test_it_asks_for_a_score_and_keeps_what_was_typed(self) -> None:
        self.enter_as()
        response = self.client.post("/eyes/my/feedback/", {"comment": "Quick and kind."})
        self.assertContains(response, "This field is required.")
        self.assertContains(response, "Quick and kind.")
        self.assertFalse(Feedback.objects.exists())

    def test_it_saves_the_patients_contact_language_and_reminder_choices(self) -> None:
        self.patient.phone = "+919800000001"
        self.patient.save()
        self.enter_as()
        response = self.client.post(
            "/eyes/my/preferences/", {"contact_by": "email", "language": "ta"}, follow=True
        )
        self.assertContains(response, "Your choices are saved.")
        self.patient.refresh_from_db()
        self.assertEqual(self.patient.language, "ta")
        preferences = Preferences.objects.get()
        self.assertEqual((preferences.contact_by, preferences.reminders), ("email", False))
        self.assertEqual(channel_for(self.patient), Contact.EMAIL)

    def test_it_refuses_sms_for_a_patient_without_a_mobile_number(self) -> None:
        self.enter_as()
        response = self.client.post(
            "/eyes/my/preferences/", {"contact_by": "sms", "language": "en", "reminders": "on"}
        )
        self.assertContains(response, "Your centre has no mobile number for you: choose e-mail")
        self.assertFalse(Preferences.objects.exists())


class SummaryTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        for score, comment in [(5, "Very quick."), (4, ""), (2, "Long wait.")]:
            Feedback.objects.create(
                patient=self.patient, clinic=self.clinic, satisfaction=score, comment=comment
            )
        Feedback.objects.create(
            patient=self.other, clinic=self.other_clinic, satisfaction=1, comment="Elsewhere."
        )

    def test_it_shows_the_centres_average_counts_and_comments_to_any_staff(self) -> None:
        for user in (self.screener, self.doctor, self.clinic_admin):
            self.login(user)
            response = self.client.get(SUMMARY)
            self.assertContains(response, "3 answers, average satisfaction 3.7 out of 5.")
            self.assertContains(response, "Long wait.")
            self.assertNotContains(response, "Elsewhere.")
            self.assertNotContains(response, self.patient.name)

    def test_it_refuses_the_summary_to_another_centre_and_to_outsiders(self) -> None:
        for user in (self.outsider_staff, self.charlie):
            self.login(user)
            self.assertEqual(self.client.get(SUMMARY).status_code, 404)

    def test_it_sends_anonymous_visitors_to_log_in_for_the_summary(self) -> None:
        response = self.client.get(SUMMARY)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_it_does_not_open_the_summary_to_a_patient_session(self) -> None:
        self.enter_as()
        self.assertEqual(self.client.get(SUMMARY).status_code, 302)
