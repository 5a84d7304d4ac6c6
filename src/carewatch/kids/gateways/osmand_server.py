"""OsmAnd / Traccar Client on its own port: any path, GET or POST, as `/osmand/` does.

A small ASGI app run by uvicorn inside the gateway's event loop; the device check and
the log are the same as the web view's, in their async forms.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import uvicorn

from carewatch.kids.gateways.limits import STATS, OncePerInterval
from carewatch.kids.gateways.watch_server import DeviceLookup
from carewatch.kids.ingest.log import IngestLog
from carewatch.kids.protocols.messages import ProtocolError

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024
OSMAND = "osmand"
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class OsmandApp:
    def __init__(self, log: IngestLog, devices: DeviceLookup) -> None:
        self.log = log
        self.devices = devices
        self.unknown = OncePerInterval(300.0)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        status, text = await self.handle(scope, receive)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")],
            }
        )
        await send({"type": "http.response.body", "body": text.encode()})

    async def handle(self, scope: Scope, receive: Receive) -> tuple[int, str]:
        method = scope["method"]
        if method not in {"GET", "POST"}:
            return 405, "Use GET or POST.\n"
        body = await _read_body(receive)
        if body is None:
            STATS["osmand_too_large"] += 1
            return 413, "Too large.\n"
        query = scope.get("query_string", b"").decode("latin-1")
        uri = scope.get("path", "/") + (f"?{query}" if query else "")
        headers = dict(scope.get("headers", []))
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        from carewatch.kids.protocols import osmand

        try:
            decoded = osmand.decode(method, uri, body, content_type, datetime.now(UTC))
        except ProtocolError as error:
            STATS["osmand_bad_request"] += 1
            return 400, f"{error}\n"
        identifier = decoded.device_id or ""
        device = await self.devices.alookup(identifier)
        if device is None or device.protocol != OSMAND:
            STATS["osmand_unknown_device"] += 1
            if self.unknown.due(identifier, time.monotonic()):
                client = scope.get("client") or ("?",)
                log.warning(
                    "Unknown or unpaired OsmAnd device %r from %s", identifier[:40], client[0]
                )
            return 403, "Unknown device.\n"
        if decoded.fixes:
            await self.log.append(decoded.fixes)
        STATS["osmand_messages"] += 1
        return 200, ""


async def _read_body(receive: Receive) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


class _EmbeddedServer(uvicorn.Server):
    """uvicorn inside a loop we own: the process's signals stay with its owner."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def osmand_server(app: OsmandApp, host: str, port: int) -> uvicorn.Server:
    """`await server.serve()` runs it; `server.should_exit = True` stops it."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        lifespan="off",
        access_log=False,
        log_level="warning",
        timeout_keep_alive=30,
        limit_concurrency=2000,
    )
    return _EmbeddedServer(config)
