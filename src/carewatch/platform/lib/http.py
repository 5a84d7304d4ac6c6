"""The one wrapper for outgoing HTTP: timeouts, bounded replies, no private addresses.

Every request CareWatch makes to another server goes through `post` or
`post_json`, so this is the one place tests intercept and the one place the
rules live:

- A timeout on every request, no redirects followed, no proxy taken from the
  environment (the address check must see the real destination), and at most
  MAX_BODY bytes of the reply are read.
- Users type webhook URLs and browsers hand us push endpoints. Unless
  `trusted=True` (URLs from the operator's own settings, such as SMS_API_URL)
  or settings.OUTGOING_HTTP_ALLOW_PRIVATE is true, the host is resolved and
  *every* address must be public: loopback, private, link-local (cloud
  metadata at 169.254.169.254), shared, multicast and reserved ranges are
  refused. The check runs again when the socket connects, and the socket
  connects to the address that was checked, so a DNS answer that changes
  between the check and the connection (DNS rebinding) cannot slip through.

Errors: `UnsafeURL` (the URL may never be used; permanent) and `RequestFailed`
(timeouts and connection errors; worth retrying). Any HTTP status is returned
as a `Response`: what a status means is the caller's decision.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import socket
import ssl
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings

DEFAULT_TIMEOUT = 10.0
MAX_BODY = 64 * 1024
USER_AGENT = "CareWatch-Notifications/1.0"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class HTTPError(Exception):
    """An outgoing request did not produce an HTTP response."""


class UnsafeURL(HTTPError):
    """The URL may not be requested; the message is a sentence for the user."""


class RequestFailed(HTTPError):
    """Timeout or connection error: the same request may work later."""


@dataclass
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def allow_private() -> bool:
    return bool(getattr(settings, "OUTGOING_HTTP_ALLOW_PRIVATE", False))


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL(
            f"The host name {host!r} cannot be found: check the spelling of the address."
        ) from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked_addresses(host: str, port: int, *, private_ok: bool) -> list[str]:
    """The host's addresses, refused as a whole if any of them is not public."""
    addresses = resolve(host, port)
    if not private_ok:
        for address in addresses:
            if not is_public(ipaddress.ip_address(address.split("%")[0])):
                raise UnsafeURL(
                    f"The address {host} leads to a private or local network ({address}), "
                    "which CareWatch does not send to: use an address on the public internet."
                )
    return addresses


def check_url(url: str, *, trusted: bool = False) -> None:
    """Refuse URLs that are not http(s) with a host, or that lead to private addresses."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeURL(
            "The address is not a valid URL: write it like https://example.com/hook."
        ) from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UnsafeURL("The address must start with https:// (or http://) and name a server.")
    if parts.username or parts.password:
        raise UnsafeURL("The address must not contain a user name or password.")
    checked_addresses(parts.hostname, port, private_ok=trusted or allow_private())


class GuardedBackend(httpcore.SyncBackend):
    """Connects only to checked addresses (the check repeated at connect time)."""

    def __init__(self, *, private_ok: bool) -> None:
        self.private_ok = private_ok

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        addresses = checked_addresses(host, port, private_ok=self.private_ok)
        error: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as failed:
                error = failed
        raise error


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """Loading the CA bundle takes tens of milliseconds: do it once per process."""
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.HTTPTransport):
    def __init__(self, *, private_ok: bool) -> None:
        super().__init__(trust_env=False)
        # httpx offers no public hook for the network backend, so the pool is rebuilt
        # with the same defaults and our backend.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context(),
            max_connections=10,
            network_backend=GuardedBackend(private_ok=private_ok),
        )


def post(
    url: str,
    *,
    content: bytes,
    headers: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    trusted: bool = False,
) -> Response:
    """POST `content` to `url`; returns the response, whatever its status."""
    check_url(url, trusted=trusted)
    transport = GuardedTransport(private_ok=trusted or allow_private())
    all_headers = {"User-Agent": USER_AGENT} | (headers or {})
    try:
        with (
            httpx.Client(transport=transport, timeout=timeout, trust_env=False) as client,
            client.stream("POST", url, content=content, headers=all_headers) as reply,
        ):
            return Response(reply.status_code, dict(reply.headers), _read(reply))
    except httpx.TimeoutException:
        raise RequestFailed(f"The server did not answer within {timeout:g} seconds.") from None
    except httpx.HTTPError as error:
        raise RequestFailed(f"The connection failed: {error or type(error).__name__}.") from None


def post_json(
    url: str,
    data: Any,
    *,
    headers: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    trusted: bool = False,
) -> Response:
    body = json_bytes(data)
    all_headers = {"Content-Type": "application/json"} | (headers or {})
    return post(url, content=body, headers=all_headers, timeout=timeout, trusted=trusted)


def json_bytes(data: Any) -> bytes:
    """Compact, stable JSON: the exact bytes that get signed are the bytes sent."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def _read(reply: httpx.Response) -> bytes:
    body = b""
    for chunk in reply.iter_bytes():
        body += chunk
        if len(body) >= MAX_BODY:
            return body[:MAX_BODY]
    return body
