"""Private data is never kept by a browser or a proxy cache.

A cached patient photo or report PDF outlives the session that fetched it: on a shared
clinic computer, in a phone's cache, on a proxy. Every response under PRIVATE_PATHS gets
`Cache-Control: private, no-store` whatever the view said; a live event stream (already
`no-cache`, and never stored) is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import sync_only_middleware

NO_STORE = "private, no-store, no-cache, must-revalidate, max-age=0"


def is_private(path: str, prefixes: list[str]) -> bool:
    return any(path.startswith(prefix) for prefix in prefixes)


@sync_only_middleware
class PrivateNoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        streaming_events = response.get("Content-Type", "").startswith("text/event-stream")
        if is_private(request.path, settings.PRIVATE_PATHS) and not streaming_events:
            add_never_cache_headers(response)
            response["Cache-Control"] = NO_STORE
        return response
