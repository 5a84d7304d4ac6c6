"""Who may do what: the one place the answer is decided.

Views and API endpoints ask these functions (or use the decorators) instead of
filtering by hand, so a rule changes in one place and the outsider tests cover
every caller. Lookups that fail return 404, never 403, so an outsider cannot
tell whether another family's or clinic's object exists.

The decorators hand the view what they checked, typed: `clinic_role_required` turns
the URL's `clinic_slug` into `clinic: Clinic`, `family_member_required` turns
`family_id` into `family: Family`, and the view's request is a `SignedInRequest`
(its `user` is a User, never anonymous).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeAlias, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
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

Visitor: TypeAlias = User | AnonymousUser  # what request.user may be


class SignedInRequest(HttpRequest):
    """A request behind login_required, as the decorators below hand it to views."""

    user: User


P = ParamSpec("P")
FamilyView: TypeAlias = Callable[Concatenate[SignedInRequest, Family, P], HttpResponse]
ClinicView: TypeAlias = Callable[Concatenate[SignedInRequest, Clinic, P], HttpResponse]
UrlView: TypeAlias = Callable[Concatenate[HttpRequest, Any, P], HttpResponse]


def families_of(user: Visitor) -> QuerySet[Family]:
    if not user.is_authenticated:
        return Family.objects.none()
    return Family.objects.filter(memberships__user=user)


def family_role(user: Visitor, family: Family) -> str | None:
    if not user.is_authenticated:
        return None
    membership = FamilyMembership.objects.filter(user=user, family=family).first()
    return membership.role if membership else None


def can_view_family(user: Visitor, family: Family) -> bool:
    return family_role(user, family) is not None


def can_manage_family(user: Visitor, family: Family) -> bool:
    """Any guardian may invite and manage; only the owner may remove the family."""
    return family_role(user, family) in {FamilyRole.OWNER, FamilyRole.GUARDIAN}


def can_delete_family(user: Visitor, family: Family) -> bool:
    return family_role(user, family) == FamilyRole.OWNER


def clinics_of(user: Visitor, *roles: str) -> QuerySet[Clinic]:
    if not user.is_authenticated:
        return Clinic.objects.none()
    memberships = ClinicMembership.objects.filter(user=user)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return Clinic.objects.filter(pk__in=memberships.values("clinic"))


def clinic_role(user: Visitor, clinic: Clinic) -> str | None:
    if not user.is_authenticated:
        return None
    membership = ClinicMembership.objects.filter(user=user, clinic=clinic).first()
    return membership.role if membership else None


def has_clinic_role(user: Visitor, clinic: Clinic, *roles: str) -> bool:
    role = clinic_role(user, clinic)
    return role is not None and (not roles or role in roles)


def is_clinic_staff(user: Visitor) -> bool:
    return bool(user.is_authenticated and ClinicMembership.objects.filter(user=user).exists())


def staff_must_use_mfa(user: User) -> bool:
    """Clinic staff handle patient data: they must have an authenticator app set up."""
    return is_clinic_staff(user)


def has_mfa(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# --- Decorators for views -------------------------------------------------------


def family_member_required(view: FamilyView[P]) -> UrlView[P]:
    """Turns the URL's `family_id` into `family`, or 404 for non-members."""

    @login_required
    @wraps(view)
    def wrapper(
        request: HttpRequest, family_id: int, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponse:
        family = get_object_or_404(families_of(request.user), pk=family_id)
        for_templates(request, family=family)
        return view(signed_in(request), family, *args, **kwargs)

    return wrapper


def clinic_role_required(*roles: str) -> Callable[[ClinicView[P]], UrlView[P]]:
    """Turns the URL's `clinic_slug` into `clinic` when the user holds one of `roles` there."""

    def decorate(view: ClinicView[P]) -> UrlView[P]:
        @login_required
        @wraps(view)
        def wrapper(
            request: HttpRequest, clinic_slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            clinic = get_object_or_404(Clinic, slug=clinic_slug)
            user = request.user
            if not isinstance(user, User) or not has_clinic_role(user, clinic, *roles):
                raise Http404("No such clinic.")
            if settings.STAFF_MFA_REQUIRED and not has_mfa(user):
                messages.warning(
                    request,
                    _("Clinic staff handle patient data: set up an authenticator app to continue."),
                )
                return redirect("mfa_activate_totp")
            for_templates(request, clinic=clinic)
            return view(signed_in(request), clinic, *args, **kwargs)

        return wrapper

    return decorate


def signed_in(request: HttpRequest) -> SignedInRequest:
    """The same request, typed as login_required left it."""
    assert isinstance(request.user, User), "behind login_required"
    return cast(SignedInRequest, request)


def for_templates(request: HttpRequest, **objects: Clinic | Family) -> None:
    """Templates name the centre or family through the request (request.clinic.slug in
    links); views get the same object as an argument instead."""
    for name, obj in objects.items():
        setattr(request, name, obj)


ANY_STAFF = (ClinicRole.SCREENER, ClinicRole.DOCTOR, ClinicRole.ADMIN)
