"""One thread for the whole middleware chain under ASGI.

Under ASGI (`carewatch serve` runs uvicorn) Django awaits every middleware that can
run async, and each of its own MiddlewareMixin middleware then hops to a worker thread
and back for process_request and again for process_response: about twenty hops per
request with our middleware, costing more than a page served from the cache
(bench/store_bench.py: a trivial view went from about 220 to 440 requests/s with this).
Listed last, this sync-only middleware makes Django run all the others synchronously,
in the one thread the request gets anyway; async views (the live map's server-sent
events) still run on the event loop and stream from there.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.decorators import sync_only_middleware


@sync_only_middleware
class SyncChainMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
