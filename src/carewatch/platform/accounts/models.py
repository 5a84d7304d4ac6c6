from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Every user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra |= {"is_staff": True, "is_superuser": True}
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address; there is no user name."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []  # noqa: RUF012 - Django's own declaration
    objects = UserManager()  # type: ignore[assignment,misc]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


# --- Families -------------------------------------------------------------------


class Family(models.Model):
    name = models.CharField(_("family name"), max_length=100)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return self.name


class FamilyRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    GUARDIAN = "guardian", _("Guardian")


class FamilyMembership(models.Model):
    family = models.ForeignKey(Family, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, models.CASCADE, related_name="family_memberships")
    role = models.CharField(max_length=16, choices=FamilyRole.choices, default=FamilyRole.GUARDIAN)
    joined = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["family", "user"], name="one_membership_per_family")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.family} ({self.role})"


def _invite_token() -> str:
    return secrets.token_urlsafe(32)


INVITE_LIFETIME = timedelta(days=7)


class FamilyInvite(models.Model):
    """A guardian asks another guardian, by e-mail, to join the family."""

    family = models.ForeignKey(Family, models.CASCADE, related_name="invites")
    email = models.EmailField(_("e-mail address"))
    invited_by = models.ForeignKey(User, models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_invite_token)
    created = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.family}"

    def is_expired(self) -> bool:
        return timezone.now() > self.created + INVITE_LIFETIME

    def is_usable(self) -> bool:
        return self.accepted_at is None and not self.is_expired()


# --- Clinics --------------------------------------------------------------------


class Clinic(models.Model):
    """A screening centre: "centre" in URLs and on every page; Clinic is the model's name
    (models are not renamed). Its public booking profile is eyes.booking's Centre."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(unique=True)
    address = models.TextField(_("address"), blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class ClinicRole(models.TextChoices):
    SCREENER = "screener", _("Screener")
    DOCTOR = "doctor", _("Doctor")
    ADMIN = "admin", _("Administrator")


class ClinicMembership(models.Model):
    clinic = models.ForeignKey(Clinic, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, models.CASCADE, related_name="clinic_memberships")
    role = models.CharField(max_length=16, choices=ClinicRole.choices)
    joined = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "user"], name="one_role_per_clinic")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.clinic} ({self.role})"


# --- API tokens -------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A key for a phone app or script; only its hash is kept, the key is shown once."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        key = "cw_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(key), prefix=key[:8])
        return token, key
