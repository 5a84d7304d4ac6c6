"""The JSON API (Django Ninja, OpenAPI at /api/docs): one NinjaAPI, a router per service.

Apps authenticate with `Authorization: Bearer <token>` (tokens from /account/tokens/);
the web pages' own session works too (with CSRF on changes).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from carewatch.kids.gateways.api import router as commands_router
from carewatch.kids.tracker.api import router as tracker_router
from carewatch.platform.accounts.models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        request.user = found.user
        return found.user


class SignedInSession(SessionAuth):
    """The web pages' own session. Its CSRF check runs only for a signed-in browser, so a
    caller with no credentials at all is told 401 (authenticate), not a CSRF 403."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


api = NinjaAPI(
    title="CareWatch API",
    version="1",
    description="Children, devices, positions, places and alerts for apps.",
    auth=[TokenAuth(), SignedInSession()],
    urls_namespace="api",
)
api.add_router("/kids/", tracker_router)
api.add_router("/kids/", commands_router)
