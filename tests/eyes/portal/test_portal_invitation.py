"""The invitation a patient can share: friendly words and a link to the centre finder with a
referral code, and nothing about the patient: no name, no number, no result."""

from __future__ import annotations

from urllib.parse import unquote

from carewatch.eyes.portal.models import Invitation
from tests.eyes.helpers import make_visit
from tests.eyes.portal.helpers import RESULT_WORDS, PortalTestCase, sign


class InvitationTests(PortalTestCase):
    def test_it_gives_a_link_to_the_centre_finder_with_a_referral_code(self) -> None:
        self.enter_as()
        response = self.client.get("/eyes/my/invite/")
        code = Invitation.objects.get(patient=self.patient).code
        self.assertEqual(response.context["url"], f"http://127.0.0.1:8000/eyes/centres/?ref={code}")
        self.assertContains(response, "https://wa.me/?text=")
        self.assertContains(response, "sms:?&amp;body=")

    def test_it_keeps_the_same_referral_code_for_the_patient(self) -> None:
        self.enter_as()
        first = self.client.get("/eyes/my/invite/").context["url"]
        self.assertEqual(self.client.get("/eyes/my/invite/").context["url"], first)

    def test_it_carries_no_name_number_or_result_in_the_text_or_the_links(self) -> None:
        sign(make_visit(self.patient, self.screener), self.doctor, follow_up=None)  # referred
        self.enter_as()
        context = self.client.get("/eyes/my/invite/").context
        shared = " ".join(
            [context["text"], context["url"], *map(unquote, context["links"].values())]
        ).lower()
        for word in [*RESULT_WORDS, "meena", "iyer", self.patient.number.lower(), "report"]:
            self.assertNotIn(word, shared)

    def test_it_gives_each_patient_their_own_code(self) -> None:
        self.enter_as()
        self.client.get("/eyes/my/invite/")
        self.client.post("/eyes/my/leave/")
        self.enter_as(self.other)
        self.client.get("/eyes/my/invite/")
        codes = set(Invitation.objects.values_list("code", flat=True))
        self.assertEqual(len(codes), 2)
