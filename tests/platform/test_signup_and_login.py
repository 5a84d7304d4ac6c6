"""Sign-up with e-mail verification, login, password reset: the mail goes through real SMTP."""

from __future__ import annotations

import re

from django.urls import reverse

from carewatch.platform.accounts.models import User
from tests.base import PASSWORD, BaseTestCase
from tests.mailbox import Mailbox, smtp_server

NEW_PASSWORD = "a-long-new-password-42"


def link_in(mailbox: Mailbox, index: int = -1) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", mailbox.texts()[index])
    assert match is not None, mailbox.texts()[index]
    return match.group(1)


class SignupTests(BaseTestCase):
    def sign_up(self, email: str, mailbox: Mailbox) -> None:
        # The mail is a notification row, sent from the queue once the page's work commits.
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("account_signup"),
                {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            )
        self.assertRedirects(response, reverse("account_email_verification_sent"))

    def test_it_signs_up_and_verifies_the_address_through_the_mailed_link(self) -> None:
        with smtp_server() as mailbox:
            self.sign_up("newparent@example.org", mailbox)
        self.assertEqual(mailbox.messages[0]["To"], "newparent@example.org")
        confirm = link_in(mailbox)
        self.assertContains(self.client.get(confirm), "newparent@example.org")
        response = self.client.post(confirm)
        self.assertRedirects(response, "/home/", fetch_redirect_response=False)
        user = User.objects.get(email="newparent@example.org")
        self.assertTrue(user.emailaddress_set.get().verified)

    def test_it_does_not_log_in_before_the_address_is_verified(self) -> None:
        with smtp_server() as mailbox:
            self.sign_up("newparent@example.org", mailbox)
            response = self.client.post(
                reverse("account_login"),
                {"login": "newparent@example.org", "password": NEW_PASSWORD},
            )
        self.assertRedirects(response, reverse("account_email_verification_sent"))
        self.assertEqual(self.client.get("/home/").status_code, 302)

    def test_it_refuses_a_confirmation_link_used_twice(self) -> None:
        with smtp_server() as mailbox:
            self.sign_up("newparent@example.org", mailbox)
        confirm = link_in(mailbox)
        self.client.post(confirm)
        self.client.logout()
        response = self.client.get(confirm)
        self.assertContains(response, "expired or is invalid")

    def test_it_tells_a_duplicate_sign_up_by_e_mail_without_revealing_the_account(self) -> None:
        # Enumeration protection: the page looks the same; the owner of the address is told.
        with smtp_server() as mailbox:
            self.sign_up("alice@example.org", mailbox)
        self.assertEqual(User.objects.filter(email="alice@example.org").count(), 1)
        self.assertIn("already", mailbox.texts()[0].lower())
        self.assertIn("/accounts/password/reset/", mailbox.texts()[0])

    def test_it_explains_a_weak_password_and_keeps_the_address(self) -> None:
        response = self.client.post(
            reverse("account_signup"),
            {"email": "weak@example.org", "password1": "123", "password2": "123"},
        )
        self.assertContains(response, "This password is too short.")
        self.assertContains(response, 'value="weak@example.org"')
        self.assertFalse(User.objects.filter(email="weak@example.org").exists())


class LoginTests(BaseTestCase):
    def test_it_logs_in_with_e_mail_and_password(self) -> None:
        response = self.client.post(
            reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD}
        )
        self.assertRedirects(response, "/home/", fetch_redirect_response=False)
        self.assertContains(self.client.get("/home/"), "Hello, Alice")

    def test_it_says_clearly_when_the_password_is_wrong(self) -> None:
        response = self.client.post(
            reverse("account_login"), {"login": "alice@example.org", "password": "wrong"}
        )
        self.assertContains(
            response, "The email address and/or password you specified are not correct."
        )

    def test_it_resets_a_forgotten_password_once(self) -> None:
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("account_reset_password"), {"email": "alice@example.org"})
        reset = link_in(mailbox)
        form_page = self.client.get(reset, follow=True)
        action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset
        response = self.client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(User.objects.get(email="alice@example.org").check_password(NEW_PASSWORD))
        again = self.client.get(reset, follow=True)
        self.assertContains(again, "invalid")
