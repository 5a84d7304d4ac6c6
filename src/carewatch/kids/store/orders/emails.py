"""Order e-mails, each sent at most once per order: a conditional UPDATE claims the send."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carewatch.kids.store.orders.models import Order
from carewatch.platform.notify import sending


def send_confirmation(order_id: int) -> bool:
    """True when this call sent it; False when it had already gone."""
    claimed = Order.objects.filter(pk=order_id, confirmation_sent_at__isnull=True).update(
        confirmation_sent_at=timezone.now()
    )
    if not claimed:
        return False
    order = Order.objects.select_related("owner").prefetch_related("lines").get(pk=order_id)
    language = getattr(order.owner, "language", "") or order.language
    with translation.override(language):
        subject = _("Your CareWatch order %(number)s is confirmed") % {"number": order.number}
        context = {"order": order, "site_url": settings.SITE_URL}
        text = render_to_string("orders/email/confirmation.txt", context)
        html = render_to_string("orders/email/confirmation.html", context)
    if order.owner is not None and order.owner.is_active:
        sending.send(
            order.owner,
            subject,
            text,
            html=html,
            url=order.get_absolute_url(),
            event="store.order_confirmed",
        )
        if order.owner.notify_channels.filter(kind="email", verified=True).exists():
            return True
    mail = EmailMultiAlternatives(subject, text, to=[order.email])
    mail.attach_alternative(html, "text/html")
    mail.send()
    return True
