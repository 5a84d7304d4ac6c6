"""Two-factor sign-in with an authenticator app (TOTP), as clinic staff must use it."""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from tests.base import PASSWORD, BaseTestCase, make_user


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


class MfaTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = make_user("nurse@example.org")
        self.secret = generate_totp_secret()
        TOTP.activate(self.user, self.secret)

    def log_in_with_password(self) -> None:
        response = self.client.post(
            reverse("account_login"), {"login": "nurse@example.org", "password": PASSWORD}
        )
        self.assertRedirects(response, reverse("mfa_authenticate"), fetch_redirect_response=False)

    def test_it_asks_for_the_code_after_the_password_and_then_lets_the_user_in(self) -> None:
        self.log_in_with_password()
        self.assertEqual(self.client.get("/home/").status_code, 302)  # not in yet
        response = self.client.post(
            reverse("mfa_authenticate"), {"code": current_code(self.secret)}
        )
        self.assertRedirects(response, "/home/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/home/").status_code, 200)

    def test_it_refuses_a_wrong_code_with_a_clear_message(self) -> None:
        self.log_in_with_password()
        wrong = "000000" if current_code(self.secret) != "000000" else "111111"
        response = self.client.post(reverse("mfa_authenticate"), {"code": wrong})
        self.assertContains(response, "Incorrect code.")
        self.assertEqual(self.client.get("/home/").status_code, 302)

    def test_a_user_can_set_up_an_authenticator_app_after_confirming_the_password(self) -> None:
        self.login(self.alice)
        page = self.client.get(reverse("mfa_activate_totp"))
        self.assertEqual(page.status_code, 302)
        self.assertIn(reverse("account_reauthenticate"), page["Location"])
        self.client.post(page["Location"], {"password": PASSWORD})
        page = self.client.get(reverse("mfa_activate_totp"))
        secret = page.context["form"].secret
        response = self.client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.alice.authenticator_set.filter(type="totp").exists())
