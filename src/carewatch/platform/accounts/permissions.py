"""Who may do what: the one place the answer is decided.

Views and API endpoints ask these functions (or use the decorators) instead of
filtering by hand, so a rule changes in one place and the outsider tests cover
every caller. Lookups that fail return 404, never 403, so an outsider cannot
tell whether another family's or clinic's object exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from carewatch.platform.accounts.models import (
    Clinic,
    ClinicMembership,
    ClinicRole,
    Family,
    FamilyMembership,
    FamilyRole,
    User,
)

View = TypeVar("View", bound=Callable[..., HttpResponse])


def families_of(user: Any) -> QuerySet[Family]:
    if not user.is_authenticated:
        return Family.objects.none()
    return Family.objects.filter(memberships__user=user)


def family_role(user: Any, family: Family) -> str | None:
    if not user.is_authenticated:
        return None
    membership = FamilyMembership.objects.filter(user=user, family=family).first()
    return membership.role if membership else None


def can_view_family(user: Any, family: Family) -> bool:
    return family_role(user, family) is not None


def can_manage_family(user: Any, family: Family) -> bool:
    """Any guardian may invite and manage; only the owner may remove the family."""
    return family_role(user, family) in {FamilyRole.OWNER, FamilyRole.GUARDIAN}


def can_delete_family(user: Any, family: Family) -> bool:
    return family_role(user, family) == FamilyRole.OWNER


def clinics_of(user: Any, *roles: str) -> QuerySet[Clinic]:
    if not user.is_authenticated:
        return Clinic.objects.none()
    memberships = ClinicMembership.objects.filter(user=user)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return Clinic.objects.filter(pk__in=memberships.values("clinic"))


def clinic_role(user: Any, clinic: Clinic) -> str | None:
    if not user.is_authenticated:
        return None
    membership = ClinicMembership.objects.filter(user=user, clinic=clinic).first()
    return membership.role if membership else None


def has_clinic_role(user: Any, clinic: Clinic, *roles: str) -> bool:
    role = clinic_role(user, clinic)
    return role is not None and (not roles or role in roles)


def is_clinic_staff(user: Any) -> bool:
    return bool(user.is_authenticated and ClinicMembership.objects.filter(user=user).exists())


def staff_must_use_mfa(user: User) -> bool:
    """Clinic staff handle patient data: they must have an authenticator app set up."""
    return is_clinic_staff(user)


def has_mfa(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# --- Decorators for views -------------------------------------------------------


def family_member_required(view: View) -> View:
    """Loads `family_id` from the URL into `request.family`, or 404 for non-members."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, family_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        family = get_object_or_404(families_of(request.user), pk=family_id)
        request.family = family  # type: ignore[attr-defined]
        return view(request, family_id, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def clinic_role_required(*roles: str) -> Callable[[View], View]:
    """Loads `clinic_slug` into `request.clinic` when the user holds one of `roles` there."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(
            request: HttpRequest, clinic_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            clinic = get_object_or_404(Clinic, slug=clinic_slug)
            if not has_clinic_role(request.user, clinic, *roles):
                raise Http404("No such clinic.")
            if settings.STAFF_MFA_REQUIRED and not has_mfa(request.user):  # type: ignore[arg-type]
                messages.warning(
                    request,
                    _("Clinic staff handle patient data: set up an authenticator app to continue."),
                )
                return redirect("mfa_activate_totp")
            request.clinic = clinic  # type: ignore[attr-defined]
            return view(request, clinic_slug, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


ANY_STAFF = (ClinicRole.SCREENER, ClinicRole.DOCTOR, ClinicRole.ADMIN)
