"""The admin site, signed in to through allauth like every other page.

Django's own admin login form checks a password and nothing else: no second factor, no
rate limit. Here it only sends the visitor to allauth's login (which asks for the TOTP
code and counts failures) and back; the site itself opens to active staff who use an
authenticator app (unless STAFF_MFA_REQUIRED is off, as in the demo).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import user_passes_test
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from carewatch.platform.accounts.permissions import has_mfa


def mfa_satisfied(user: Any) -> bool:
    return not settings.STAFF_MFA_REQUIRED or has_mfa(user)


def staff_required(view: Any) -> Any:
    """For staff pages outside the admin (the shop's dispatch and questions): the admin's
    own test, and its login, which leads to allauth or to setting up the authenticator."""

    def allowed(user: Any) -> bool:
        return bool(user.is_active and user.is_staff and mfa_satisfied(user))

    return user_passes_test(allowed, login_url="admin:login")(view)


class CareWatchAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and mfa_satisfied(request.user)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        target = self._next(request)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(target, settings.LOGIN_URL, REDIRECT_FIELD_NAME)
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not mfa_satisfied(user):
            messages.warning(request, _("Staff must use an authenticator app: set one up."))
            return redirect("mfa_activate_totp")
        return redirect(target)

    def _next(self, request: HttpRequest) -> str:
        wanted = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME)
        safe = url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return wanted if wanted and safe else reverse("admin:index")
