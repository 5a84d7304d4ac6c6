"""Order e-mails, each sent at most once per order and kind (an OrderEmail row claims it).

The claim and the Notification rows are written in one transaction; the rows are then
sent from the task queue with the notifications' retries, so a mail server outage
delays them and loses none. A customer with an account is told through the platform's
notifications (in their language); when the account has no e-mail channel, and for
guests, an e-mail goes to the order's address. Every row is about the order: the
dispatch page shows whether the customer was told.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from carewatch.kids.store.orders.access import follow_path
from carewatch.kids.store.orders.carriers import tracking_url
from carewatch.kids.store.orders.models import Order, OrderEmail
from carewatch.platform.notify import direct, sending
from carewatch.platform.notify.models import Notification

SUBJECTS = {
    "confirmation": _("Your CareWatch order %(number)s is confirmed"),
    "dispatched": _("Your CareWatch order %(number)s is on its way"),
    "reminder": _("Your CareWatch order %(number)s arrives tomorrow"),
    "delivered": _("Your CareWatch order %(number)s is delivered"),
    "setup": _("Set up your tracker: the pairing code for order %(number)s"),
    "review": _("How is your CareWatch? Tell other parents"),
    "cancelled": _("Your CareWatch order %(number)s is cancelled"),
    "returned": _("We have recorded the return of your CareWatch order %(number)s"),
    "refunded": _("Your refund for CareWatch order %(number)s is on its way"),
}


def send_order_email(order_id: int, kind: str, key: str = "") -> bool:
    """True when this call sent it; False when it had already gone."""
    try:
        with transaction.atomic():
            OrderEmail.objects.create(order_id=order_id, key=key or kind)
            _send(Order.objects.select_related("owner").get(pk=order_id), kind)
    except IntegrityError:
        return False
    return True


def _send(order: Order, kind: str) -> None:
    subject, text, html = render(order, kind)
    owner, about, event = order.owner, direct.topic(order), f"store.{kind}"
    if owner is not None and owner.is_active:
        url = order.get_absolute_url()
        sending.send(owner, subject, text, html=html, url=url, event=event, topic=about)
        if owner.notify_channels.filter(kind="email", verified=True, disabled=False).exists():
            return
    # Composed when sent: the pairing code and the signed review links never wait in a row.
    payload = {"order": order.pk, "kind": kind}
    compose = "carewatch.kids.store.orders.emails.compose"
    direct.send_email(
        order.email, subject, about=about, event=event, compose=compose, payload=payload
    )


def render(order: Order, kind: str) -> direct.Message:
    language = getattr(order.owner, "language", "") or order.language
    with translation.override(language):
        subject = str(SUBJECTS[kind]) % {"number": order.number}
        context = {
            "order": order,
            "site_url": settings.SITE_URL,
            "order_url": follow_path(order),
            "tracking_url": tracking_url(order.carrier, order.tracking_number),
        }
        text = render_to_string(f"orders/email/{kind}.txt", context)
        html = render_to_string(f"orders/email/{kind}.html", context)
    return direct.Message(subject, text, html)


def compose(notification: Notification) -> direct.Message | None:
    order = Order.objects.select_related("owner").filter(pk=notification.payload["order"])
    found = order.first()
    return None if found is None else render(found, notification.payload["kind"])


def send_confirmation(order_id: int) -> bool:
    return send_order_email(order_id, "confirmation")
