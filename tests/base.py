"""The test base class: named users at every permission level.

alice    owns the Sharma family
bob      is a guardian in the Sharma family
charlie  is an outsider: his own family, no clinic; he must always be refused
screener, doctor, clinic_admin  work at the Demo Centre (each with a TOTP device)
outsider_staff  is a doctor at another centre: refused at the Demo Centre
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import TestCase

from carewatch.platform.accounts.models import (
    Clinic,
    ClinicMembership,
    ClinicRole,
    Family,
    FamilyMembership,
    FamilyRole,
    User,
)

PASSWORD = "password-for-tests-1"


def make_user(email: str, first_name: str = "") -> User:
    user = User.objects.create_user(email, PASSWORD, first_name=first_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def with_authenticator(user: User) -> User:
    """Staff open the admin only with an authenticator app (platform/accounts/admin_site.py)."""
    TOTP.activate(user, generate_totp_secret())
    return user


class BaseTestCase(TestCase):
    alice: User
    bob: User
    charlie: User
    family: Family
    charlies_family: Family
    clinic: Clinic
    other_clinic: Clinic
    screener: User
    doctor: User
    clinic_admin: User
    outsider_staff: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.alice = make_user("alice@example.org", "Alice")
        cls.bob = make_user("bob@example.org", "Bob")
        cls.charlie = make_user("charlie@example.org", "Charlie")
        cls.family = Family.objects.create(name="The Sharma family")
        FamilyMembership.objects.create(family=cls.family, user=cls.alice, role=FamilyRole.OWNER)
        FamilyMembership.objects.create(family=cls.family, user=cls.bob, role=FamilyRole.GUARDIAN)
        cls.charlies_family = Family.objects.create(name="Charlie's family")
        FamilyMembership.objects.create(
            family=cls.charlies_family, user=cls.charlie, role=FamilyRole.OWNER
        )
        cls.clinic = Clinic.objects.create(name="Demo Centre", slug="demo-centre")
        cls.other_clinic = Clinic.objects.create(name="Other Centre", slug="other-centre")
        cls.screener = cls._staff("screener@example.org", cls.clinic, ClinicRole.SCREENER)
        cls.doctor = cls._staff("doctor@example.org", cls.clinic, ClinicRole.DOCTOR)
        cls.clinic_admin = cls._staff("admin@example.org", cls.clinic, ClinicRole.ADMIN)
        cls.outsider_staff = cls._staff("other@example.org", cls.other_clinic, ClinicRole.DOCTOR)

    @classmethod
    def _staff(cls, email: str, clinic: Clinic, role: str) -> User:
        user = make_user(email)
        ClinicMembership.objects.create(clinic=clinic, user=user, role=role)
        TOTP.activate(user, generate_totp_secret())
        return user

    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # allauth keeps its rate limits in the cache

    def login(self, user: User) -> None:
        self.client.force_login(user)
