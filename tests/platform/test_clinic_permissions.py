"""Clinic pages: roles are checked in one place, staff need MFA, outsiders see nothing."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.test import override_settings
from django.urls import reverse

from carewatch.platform.accounts import permissions
from tests.base import BaseTestCase


class ClinicPermissionTests(BaseTestCase):
    def team_url(self, slug: str = "demo-centre") -> str:
        return reverse("accounts:clinic_team", args=[slug])

    def test_it_shows_the_team_to_the_clinic_admin(self) -> None:
        self.login(self.clinic_admin)
        response = self.client.get(self.team_url())
        self.assertContains(response, "doctor@example.org")

    def test_the_team_page_is_a_centre_page_and_the_old_clinic_address_redirects(self) -> None:
        self.assertEqual(self.team_url(), "/centre/demo-centre/team/")
        response = self.client.get("/clinic/demo-centre/team/")
        self.assertRedirects(response, self.team_url(), fetch_redirect_response=False)

    def test_it_refuses_staff_without_the_admin_role(self) -> None:
        for user in (self.screener, self.doctor):
            self.login(user)
            self.assertEqual(self.client.get(self.team_url()).status_code, 404)

    def test_it_refuses_staff_of_another_clinic_and_families(self) -> None:
        for user in (self.outsider_staff, self.alice, self.charlie):
            self.login(user)
            self.assertEqual(self.client.get(self.team_url()).status_code, 404)

    def test_it_answers_404_for_a_clinic_that_does_not_exist(self) -> None:
        self.login(self.clinic_admin)
        self.assertEqual(self.client.get(self.team_url("no-such-centre")).status_code, 404)

    def test_it_asks_staff_without_an_authenticator_to_set_one_up(self) -> None:
        Authenticator.objects.filter(user=self.clinic_admin).delete()
        self.login(self.clinic_admin)
        response = self.client.get(self.team_url())
        self.assertRedirects(response, reverse("mfa_activate_totp"), fetch_redirect_response=False)

    @override_settings(STAFF_MFA_REQUIRED=False)
    def test_it_lets_staff_in_without_mfa_when_the_demo_turns_it_off(self) -> None:
        Authenticator.objects.filter(user=self.clinic_admin).delete()
        self.login(self.clinic_admin)
        self.assertEqual(self.client.get(self.team_url()).status_code, 200)

    def test_it_lists_only_the_clinics_a_person_works_at(self) -> None:
        self.assertEqual(list(permissions.clinics_of(self.doctor)), [self.clinic])
        self.assertEqual(list(permissions.clinics_of(self.doctor, "admin")), [])
        self.assertEqual(list(permissions.clinics_of(self.alice)), [])
        self.assertEqual(list(permissions.families_of(self.doctor)), [])
        self.assertEqual(list(permissions.families_of(self.bob)), [self.family])
