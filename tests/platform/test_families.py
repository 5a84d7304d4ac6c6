"""Families: a guardian creates one and invites another guardian by e-mail."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from carewatch.platform.accounts.models import Family, FamilyInvite, FamilyMembership
from carewatch.platform.notify.models import Notification
from tests.base import BaseTestCase, make_user
from tests.mailbox import smtp_server
from tests.notify.servers import SmtpServer


class FamilyTests(BaseTestCase):
    def test_it_creates_a_family_owned_by_its_creator(self) -> None:
        newcomer = make_user("new@example.org")
        self.login(newcomer)
        response = self.client.post(reverse("accounts:create_family"), {"name": "The Rao family"})
        family = Family.objects.get(name="The Rao family")
        self.assertRedirects(response, reverse("accounts:family", args=[family.pk]))
        self.assertEqual(family.memberships.get().role, "owner")

    def test_it_asks_for_a_family_name(self) -> None:
        self.login(self.alice)
        response = self.client.post(reverse("accounts:create_family"), {"name": ""})
        self.assertContains(response, "This field is required.")

    def test_it_shows_the_family_to_its_guardians(self) -> None:
        for user in (self.alice, self.bob):
            self.login(user)
            response = self.client.get(reverse("accounts:family", args=[self.family.pk]))
            self.assertContains(response, "The Sharma family")
            self.assertContains(response, "bob@example.org")

    def test_it_hides_the_family_from_an_outsider(self) -> None:
        self.login(self.charlie)
        url = reverse("accounts:family", args=[self.family.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        invite_url = reverse("accounts:invite", args=[self.family.pk])
        response = self.client.post(invite_url, {"email": "spy@example.org"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(FamilyInvite.objects.exists())

    def test_it_sends_the_login_page_to_anonymous_visitors(self) -> None:
        response = self.client.get(reverse("accounts:family", args=[self.family.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])


class InviteTests(BaseTestCase):
    def invite(self, email: str) -> str:
        self.login(self.alice)
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("accounts:invite", args=[self.family.pk]), {"email": email}
            )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(mailbox.messages), 1)
        self.assertEqual(mailbox.messages[0]["To"], email)
        match = re.search(r"https?://\S+/invite/(\S+)/", mailbox.texts()[0])
        assert match is not None
        return reverse("accounts:accept_invite", args=[match.group(1)])

    def test_it_invites_a_guardian_by_e_mail_who_then_joins(self) -> None:
        link = self.invite("dana@example.org")
        dana = make_user("dana@example.org")
        self.login(dana)
        self.assertContains(self.client.get(link), "Join The Sharma family")
        response = self.client.post(link)
        self.assertRedirects(response, reverse("accounts:family", args=[self.family.pk]))
        self.assertTrue(FamilyMembership.objects.filter(family=self.family, user=dana).exists())

    def test_it_refuses_an_invitation_used_twice(self) -> None:
        link = self.invite("dana@example.org")
        dana = make_user("dana@example.org")
        self.login(dana)
        self.client.post(link)
        response = self.client.post(link, follow=True)
        self.assertContains(response, "This invitation has already been used. Ask for a new one.")

    def test_it_refuses_an_expired_invitation(self) -> None:
        link = self.invite("dana@example.org")
        FamilyInvite.objects.update(created=timezone.now() - timedelta(days=8))
        self.login(make_user("dana@example.org"))
        response = self.client.post(link, follow=True)
        self.assertContains(response, "This invitation has expired.")
        self.assertEqual(self.family.memberships.count(), 2)

    def test_it_refuses_an_invitation_meant_for_someone_else(self) -> None:
        link = self.invite("dana@example.org")
        self.login(self.charlie)
        response = self.client.post(link, follow=True)
        self.assertContains(response, "This invitation was sent to dana@example.org.")
        self.assertFalse(
            FamilyMembership.objects.filter(family=self.family, user=self.charlie).exists()
        )

    def test_it_says_when_the_person_is_already_a_guardian(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            reverse("accounts:invite", args=[self.family.pk]),
            {"email": "bob@example.org"},
            follow=True,
        )
        self.assertContains(response, "bob@example.org is already a guardian in this family.")

    def test_it_explains_a_malformed_address_and_keeps_what_was_typed(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            reverse("accounts:invite", args=[self.family.pk]), {"email": "not-an-address"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Enter a valid email address.", status_code=400)
        self.assertContains(response, 'value="not-an-address"', status_code=400)


class InviteDeliveryTests(BaseTestCase):
    def test_a_second_invite_for_the_same_address_reuses_the_first_and_mails_once(self) -> None:
        self.login(self.alice)
        url = reverse("accounts:invite", args=[self.family.pk])
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {"email": "grandma@example.org"})
            self.client.post(url, {"email": "Grandma@example.org "})
        self.assertEqual(FamilyInvite.objects.count(), 1)
        self.assertEqual(len(mailbox.messages), 1)
        page = self.client.get(reverse("accounts:family", args=[self.family.pk]))
        self.assertContains(page, "e-mail: Sent")

    def test_the_guardian_sees_an_invitation_waiting_for_the_mail_server(self) -> None:
        self.login(self.alice)
        with SmtpServer() as down:
            pass  # stopped
        url = reverse("accounts:invite", args=[self.family.pk])
        with self.settings(**down.settings()), self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"email": "grandma@example.org"})
        self.assertEqual(response.status_code, 302)
        page = self.client.get(reverse("accounts:family", args=[self.family.pk]))
        self.assertContains(page, "e-mail: Will try again")

    def test_the_invitation_link_is_made_when_the_mail_goes_not_stored_with_it(self) -> None:
        self.login(self.alice)
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("accounts:invite", args=[self.family.pk]), {"email": "g@example.org"}
            )
        token = FamilyInvite.objects.get().token
        row = Notification.objects.get(event="accounts.invite")
        self.assertNotIn(token, row.text + str(row.payload))
        self.assertIn(token, mailbox.texts()[0])
