"""New-product e-mails: when a product is published, each confirmed subscriber gets one
e-mail in their language, sent in batches from the task queue.

`announce` splits the confirmed subscribers into batches, one task each; `send_batch`
writes, per subscriber and in one transaction, the ProductMail row (unique per product
and subscriber) and the message's Notification row: a task that runs twice, or two
workers on one batch, find the row and send nothing more. The unsubscribe link and the
RFC 8058 headers are made when the mail goes (compose), so no token sits in the database.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.mailing.models import ProductMail, Subscriber, SubscriberStatus
from carewatch.kids.store.mailing.subscriptions import (
    UNSUBSCRIBE_SALT,
    absolute,
    make_token,
    unsubscribe_url,
)
from carewatch.platform.notify import direct
from carewatch.platform.notify.models import Notification

BATCH = 200
EVENT = "store.new_product"


def on_published(sender: Any, product: Product, **kwargs: Any) -> None:
    from carewatch.kids.store.mailing import tasks

    tasks.announce(product.pk)


def batches(product_id: int) -> list[list[int]]:
    """The confirmed subscribers not yet told about this product, BATCH at a time."""
    told = ProductMail.objects.filter(product_id=product_id).values("subscriber_id")
    waiting = Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED).exclude(pk__in=told)
    ids = list(waiting.order_by("pk").values_list("pk", flat=True))
    return [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]


def send_batch(product_id: int, subscriber_ids: list[int]) -> int:
    """Queues one e-mail per subscriber of the batch not told yet; returns how many."""
    product = Product.objects.filter(pk=product_id, is_active=True).first()
    if product is None:
        return 0
    subscribers = Subscriber.objects.filter(
        pk__in=subscriber_ids, status=SubscriberStatus.CONFIRMED
    ).select_related("user")
    return sum(_tell(product, subscriber) for subscriber in subscribers)


def _tell(product: Product, subscriber: Subscriber) -> bool:
    try:
        with transaction.atomic():
            mail = ProductMail.objects.create(product=product, subscriber=subscriber)
            mail.notification = _queue(product, subscriber)
            mail.save(update_fields=["notification"])
    except IntegrityError:  # told already: another run of this task got here first
        return False
    return True


def _queue(product: Product, subscriber: Subscriber) -> Notification:
    with translation.override(subscriber.mail_language):
        subject = _("New from CareWatch: %(name)s") % {"name": product.name}
    return direct.send_email(
        subscriber.email,
        subject,
        about=direct.topic(subscriber),
        event=EVENT,
        compose="carewatch.kids.store.mailing.announce.compose",
        payload={"subscriber": subscriber.pk, "product": product.pk},
    )


def compose(notification: Notification) -> direct.MessageWithHeaders | None:
    subscriber = (
        Subscriber.objects.select_related("user")
        .filter(pk=notification.payload["subscriber"])
        .first()
    )
    product = Product.objects.filter(pk=notification.payload["product"], is_active=True).first()
    if subscriber is None or product is None or not subscriber.is_confirmed:
        return None  # unsubscribed, or the product was withdrawn, since it was queued
    link = unsubscribe_url(subscriber)
    context = {
        "product": product,
        "product_url": absolute(product.get_absolute_url()),
        "unsubscribe_url": link,
    }
    with translation.override(subscriber.mail_language):
        text = render_to_string("mailing/email/new_product.txt", context)
        html = render_to_string("mailing/email/new_product.html", context)
    headers = list_headers(subscriber, link)
    return direct.MessageWithHeaders(notification.subject, text, html, headers)


def list_headers(subscriber: Subscriber, link: str) -> dict[str, str]:
    """RFC 2369 List-Unsubscribe (the HTTPS link first, a mailto as well) and RFC 8058
    List-Unsubscribe-Post, which lets a mail client unsubscribe with one POST."""
    token = make_token(subscriber, UNSUBSCRIBE_SALT)
    mailto = f"<mailto:{unsubscribe_mailbox()}?subject={quote('unsubscribe ' + token)}>"
    return {
        "List-Unsubscribe": f"<{link}>, {mailto}",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"CareWatch new products <new-products.{_host()}>",
    }


def unsubscribe_mailbox() -> str:
    """STORE_UNSUBSCRIBE_MAILTO, or the sender's address."""
    address = settings.STORE_UNSUBSCRIBE_MAILTO or settings.DEFAULT_FROM_EMAIL
    return address.rsplit("<", 1)[-1].rstrip(">").strip()


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
