"""In-app inbox: the Notification row itself is the message, so sending is a no-op."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from carewatch.platform.notify.transports.base import Transport

if TYPE_CHECKING:
    from carewatch.platform.notify.models import Notification


class InboxTransport(Transport):
    kind = "inbox"
    label = _("In the app")
    inline = True

    def notify(self, notification: Notification) -> None:
        """Nothing to send: the inbox page lists the delivered rows."""
