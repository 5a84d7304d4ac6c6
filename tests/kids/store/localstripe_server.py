"""localstripe, a fake Stripe API, in a background thread on 127.0.0.1 for tests.

localstripe's own `start()` listens on every interface and reads and writes
/tmp/localstripe.pickle; here its aiohttp routes run on loopback only, on a free port,
with its store kept in memory.

Stripe answers a repeated Idempotency-Key with its first response (and refuses the same
key with other parameters); localstripe ignores the header, so a small middleware here
does what Stripe does. The gateway's idempotency tests therefore check that it sends the
same key again and that Stripe's documented behaviour then charges once.

    with localstripe() as api_base:
        gateway = StripeGateway("sk_test_local", api_base)
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import threading
import warnings
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from aiohttp import web

with warnings.catch_warnings():
    # localstripe registers plain-function handlers at import, which aiohttp warns about.
    warnings.simplefilter("ignore", DeprecationWarning)
    from localstripe import resources
    from localstripe import server as localstripe_server
    from localstripe import webhooks as localstripe_webhooks

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
SECRET_KEY = "sk_test_carewatch_local"


def _replaying_idempotency_keys() -> Callable[
    [web.Request, Handler], Awaitable[web.StreamResponse]
]:
    answers: dict[str, tuple[str, int, bytes]] = {}

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or not key:
            return await handler(request)
        fingerprint = hashlib.sha256(request.path.encode() + await request.read()).hexdigest()
        if key in answers:
            first, status, body = answers[key]
            if first != fingerprint:
                error = {
                    "error": {
                        "type": "idempotency_error",
                        "message": "Keys for idempotent "
                        "requests can only be used with the same parameters.",
                    }
                }
                return web.json_response(error, status=400)
            return web.Response(
                body=body,
                status=status,
                content_type="application/json",
                headers={"Idempotent-Replayed": "true"},
            )
        response = await handler(request)
        if isinstance(response, web.Response) and response.status < 500 and response.body:
            answers[key] = (fingerprint, response.status, bytes(response.body))  # type: ignore[arg-type]
        return response

    return middleware


def _application() -> web.Application:
    """A fresh application with localstripe's routes and its error and auth middlewares
    (not the one that pickles the store to /tmp after every request)."""
    app = web.Application(
        middlewares=[
            _replaying_idempotency_keys(),
            localstripe_server.error_middleware,
            localstripe_server.auth_middleware,
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the same plain functions again
        for route in localstripe_server.app.router.routes():
            info = route.resource.canonical if route.resource is not None else ""
            if route.method != "HEAD":
                app.router.add_route(route.method, info, route.handler)
    return app


def register_webhook(api_base: str, url: str, secret: str) -> None:
    """Asks localstripe to sign its events with `secret` and post them to `url`, as a
    Stripe webhook endpoint does (localstripe's own /_config/webhooks API)."""
    body = urlencode({"url": url, "secret": secret}).encode()
    with urlopen(Request(f"{api_base}/_config/webhooks/carewatch", body), timeout=10):
        pass


@contextmanager
def localstripe(port: int = 0) -> Iterator[str]:
    """Runs localstripe until the block ends; yields its base URL (http://127.0.0.1:PORT).
    Port 0 picks a free one."""
    # An instance attribute shadows Store.dump_to_disk: the store stays in memory.
    resources.store.dump_to_disk = lambda: None
    sock = socket.socket()
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="localstripe", daemon=True)
    thread.start()
    runner = web.AppRunner(_application(), access_log=None)

    async def start() -> None:
        await runner.setup()
        await web.SockSite(runner, sock).start()

    asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(_stop(runner), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
        sock.close()
        localstripe_webhooks._webhooks.clear()  # never post to a server that has gone


async def _stop(runner: web.AppRunner) -> None:
    await runner.cleanup()
    # localstripe schedules webhook deliveries a second ahead: drop them with the server.
    pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


if __name__ == "__main__":
    # For local runs: PAYMENT_GATEWAY=stripe STRIPE_SECRET_KEY=sk_test_local
    # STRIPE_API_BASE=http://127.0.0.1:8420 (loopback only, unlike localstripe's own command).
    with localstripe(8420) as base:
        print(f"localstripe on {base}; Ctrl-C stops it.")
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
