"""OsmAnd (`/osmand/`) and OwnTracks (`/owntracks/`) on the main web server.

Each request: decode, check the device (paired, of this protocol; OwnTracks also its
password), append to the ingest log, and only then answer 200. Unknown or unpaired
devices get a 4xx, are counted and logged once per interval, and nothing is stored.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
import time
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from carewatch.kids.gateways.directory import DEVICES
from carewatch.kids.gateways.limits import STATS, OncePerInterval
from carewatch.kids.gateways.logs import ingest_log
from carewatch.kids.gateways.models import hash_secret
from carewatch.kids.protocols.messages import ProtocolError
from carewatch.kids.tracker.models import Protocol

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024
UNKNOWN = OncePerInterval(300.0)


def log_unknown(protocol: str, identifier: str, address: str) -> None:
    STATS[f"{protocol}_unknown_device"] += 1
    if UNKNOWN.due(f"{protocol}:{identifier}", time.monotonic()):
        log.warning(
            "Unknown or unpaired %s device %r from %s refused (logged once per 5 minutes)",
            protocol,
            identifier[:40],
            address,
        )


@csrf_exempt
def osmand(request: HttpRequest) -> HttpResponse:
    if request.method not in {"GET", "POST"}:
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        STATS["osmand_too_large"] += 1
        return HttpResponse("Too large.\n", status=413, content_type="text/plain")
    from carewatch.kids.protocols import osmand as osmand_protocol

    try:
        decoded = osmand_protocol.decode(
            request.method,
            request.get_full_path(),
            request.body,
            request.content_type or "",
            datetime.now(UTC),
        )
    except ProtocolError as error:
        STATS["osmand_bad_request"] += 1
        return HttpResponse(f"{error}\n", status=400, content_type="text/plain")
    identifier = decoded.device_id or ""
    device = DEVICES.lookup(identifier)
    if device is None or device.protocol != Protocol.OSMAND:
        log_unknown("osmand", identifier, request.META.get("REMOTE_ADDR", ""))
        return HttpResponse("Unknown device.\n", status=403, content_type="text/plain")
    if decoded.fixes:
        ingest_log().append_sync(decoded.fixes)
    STATS["osmand_messages"] += 1
    return HttpResponse("")


def basic_auth(request: HttpRequest) -> tuple[str, str] | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        user, colon, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if colon else None


def _unauthorised() -> HttpResponse:
    response = HttpResponse("Sign in with the device's user name and password.\n", status=401)
    response["WWW-Authenticate"] = 'Basic realm="CareWatch OwnTracks", charset="UTF-8"'
    return response


@csrf_exempt
def owntracks(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        STATS["owntracks_too_large"] += 1
        return HttpResponse("Too large.\n", status=413, content_type="text/plain")
    credentials = basic_auth(request)
    if credentials is None:
        return _unauthorised()
    identifier, password = credentials
    device = DEVICES.lookup(identifier)
    if (
        device is None
        or device.protocol != Protocol.OWNTRACKS
        or not device.secret_hash
        or not hmac.compare_digest(device.secret_hash, hash_secret(password))
    ):
        log_unknown("owntracks", identifier, request.META.get("REMOTE_ADDR", ""))
        return _unauthorised()
    from carewatch.kids.protocols import owntracks as owntracks_protocol

    body = request.body
    if body.strip():
        try:
            decoded = owntracks_protocol.decode(body, identifier, datetime.now(UTC))
        except ProtocolError as error:
            STATS["owntracks_bad_request"] += 1
            return HttpResponse(f"{error}\n", status=400, content_type="text/plain")
        if decoded.fixes:
            ingest_log().append_sync(decoded.fixes)
        STATS["owntracks_messages"] += 1
    # OwnTracks reads the reply as a list of messages for the phone: none.
    return JsonResponse([], safe=False)
