"""API errors are always JSON (`{"detail": "..."}`), whoever made them: an unknown
address (Django's 404 page), a method the operation lacks (Ninja's plain-text 405) or an
unexpected error (Django's 500 page). Apps parse one shape; no HTML reaches them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import sync_only_middleware

API_PREFIX = "/api/"
PAGES = ("/api/docs",)  # the one HTML page under /api/


@sync_only_middleware
class JsonApiErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and not request.path.startswith(PAGES)
            and not response.get("Content-Type", "").startswith("application/json")
            and not settings.DEBUG  # keep Django's debug pages while developing
        ):
            return json_error(response)
        return response


def json_error(original: HttpResponse) -> JsonResponse:
    answer = JsonResponse({"detail": original.reason_phrase}, status=original.status_code)
    if original.has_header("Allow"):
        answer["Allow"] = original["Allow"]
    return answer
