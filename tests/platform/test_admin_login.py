"""The admin site signs in through allauth (second factor and login rate limit included)
and lets staff in only with an authenticator app."""

from __future__ import annotations

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import override_settings
from django.urls import reverse

from tests.base import PASSWORD, BaseTestCase, make_user
from tests.platform.test_mfa import current_code


class AdminLoginTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.root = make_user("root@example.org")
        self.root.is_staff = self.root.is_superuser = True
        self.root.save()
        self.secret = generate_totp_secret()

    def with_totp(self) -> None:
        TOTP.activate(self.root, self.secret)

    def test_the_admin_login_page_sends_visitors_to_the_real_login(self) -> None:
        response = self.client.get("/admin/login/?next=/admin/accounts/user/")
        self.assertRedirects(
            response,
            reverse("account_login") + "?next=%2Fadmin%2Faccounts%2Fuser%2F",
            fetch_redirect_response=False,
        )

    def test_a_password_alone_posted_to_the_admin_login_signs_nobody_in(self) -> None:
        self.with_totp()
        form = {"username": "root@example.org", "password": PASSWORD, "next": "/admin/"}
        self.client.post("/admin/login/", form)
        self.assertEqual(self.client.get("/admin/").status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_superuser_with_totp_gives_the_code_before_the_admin_opens(self) -> None:
        self.with_totp()
        login = {"login": "root@example.org", "password": PASSWORD, "next": "/admin/"}
        response = self.client.post(reverse("account_login") + "?next=/admin/", login)
        self.assertRedirects(response, reverse("mfa_authenticate"), fetch_redirect_response=False)
        self.assertEqual(self.client.get("/admin/").status_code, 302)
        code = {"code": current_code(self.secret)}
        response = self.client.post(reverse("mfa_authenticate"), code)
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_wrong_passwords_lock_the_login_the_admin_uses(self) -> None:
        self.with_totp()
        wrong = {"login": "root@example.org", "password": "not-the-password"}
        for _ in range(6):
            self.client.post(reverse("account_login"), wrong)
        right = {"login": "root@example.org", "password": PASSWORD}
        response = self.client.post(reverse("account_login"), right)
        self.assertNotEqual(response.get("Location"), reverse("mfa_authenticate"))

    def test_staff_without_an_authenticator_app_are_sent_to_set_one_up(self) -> None:
        self.login(self.root)
        self.assertEqual(self.client.get("/admin/").status_code, 302)
        response = self.client.get("/admin/login/?next=/admin/")
        self.assertRedirects(response, reverse("mfa_activate_totp"), fetch_redirect_response=False)

    @override_settings(STAFF_MFA_REQUIRED=False)
    def test_the_demo_lets_staff_in_without_an_authenticator_app(self) -> None:
        self.login(self.root)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_a_signed_in_user_who_is_not_staff_is_refused(self) -> None:
        self.login(self.alice)
        self.assertEqual(self.client.get("/admin/", follow=True).status_code, 403)
        self.assertEqual(self.client.get("/admin/login/").status_code, 403)


class ShopStaffPageTests(BaseTestCase):
    """The shop's staff pages (dispatch, questions) ask what the admin asks."""

    def setUp(self) -> None:
        super().setUp()
        self.staff = make_user("dispatch@example.org")
        self.staff.is_staff = True
        self.staff.save()

    def test_staff_without_an_authenticator_app_are_sent_to_set_one_up(self) -> None:
        self.login(self.staff)
        response = self.client.get("/kids/shop/staff/dispatch/", follow=True)
        self.assertIn(reverse("mfa_activate_totp"), [url for url, _ in response.redirect_chain])

    def test_staff_with_an_authenticator_app_open_them(self) -> None:
        TOTP.activate(self.staff, generate_totp_secret())
        self.login(self.staff)
        self.assertEqual(self.client.get("/kids/shop/staff/dispatch/").status_code, 200)

    def test_visitors_are_sent_to_the_real_login(self) -> None:
        response = self.client.get("/kids/shop/staff/dispatch/", follow=True)
        self.assertEqual(response.redirect_chain[-1][0].split("?")[0], reverse("account_login"))
