"""What every transport shares: the base class, its error, and HTTP status rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.utils.functional import Promise

from carewatch.platform.lib import http

if TYPE_CHECKING:
    from carewatch.platform.notify.models import Channel, Notification


class TransportError(Exception):
    """Delivery failed. Permanent errors disable the channel; others are retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class Transport:
    """Sends one Notification through one Channel. Subclasses set `kind` and `label`."""

    kind: ClassVar[str]
    label: ClassVar[str | Promise]
    # Delivered in the request that created it instead of through the task queue.
    inline: ClassVar[bool] = False

    def __init__(self, channel: Channel) -> None:
        self.channel = channel

    def notify(self, notification: Notification) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        """Where this channel sends to, for lists and default names."""
        return str(self.label)


# 408 Request Timeout and 429 Too Many Requests are worth another try.
TEMPORARY_CLIENT_STATUSES = {408, 425, 429}


def check_response(response: http.Response) -> None:
    """Turn a non-2xx answer into a TransportError: 4xx (but 408/425/429) is permanent.

    That covers push services, which answer 404 or 410 for a subscription that is gone.
    """
    status = response.status
    if 200 <= status < 300:
        return
    detail = response.text.strip()[:200]
    message = f"The server answered HTTP {status}" + (f": {detail}" if detail else ".")
    permanent = status < 500 and status not in TEMPORARY_CLIENT_STATUSES
    raise TransportError(message, permanent=permanent)


def post(url: str, body: bytes, headers: dict[str, str], *, trusted: bool = False) -> None:
    """POST through lib.http, mapping its errors and the answer's status."""
    try:
        response = http.post(url, content=body, headers=headers, trusted=trusted)
    except http.UnsafeURL as error:
        raise TransportError(str(error), permanent=True) from None
    except http.RequestFailed as error:
        raise TransportError(str(error)) from None
    check_response(response)
