"""Order e-mails from the task queue: after each status change, and on a clock for the
delivery reminder (the day before) and the review request (seven days after delivery)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from carewatch.kids.store.orders.emails import send_order_email
from carewatch.kids.store.orders.models import Order, OrderEvent, Status

REVIEW_AFTER = dt.timedelta(days=7)
# Orders still on their way: the ones a reminder is for.
ON_THE_WAY = [Status.PAID, Status.PACKED, Status.SHIPPED, Status.OUT_FOR_DELIVERY]


@db_task(retries=5, retry_delay=60)
def order_email(order_id: int, kind: str) -> None:
    if kind == "setup" and not Order.objects.filter(pk=order_id, lines__device__isnull=False):
        return  # accessories only: nothing to pair
    send_order_email(order_id, kind)


def send_reminders(now: dt.datetime | None = None) -> int:
    """Reminds each order due tomorrow, once per delivery date: a new date, a new reminder."""
    tomorrow = timezone.localdate(now or timezone.now()) + dt.timedelta(days=1)
    due = Order.objects.filter(delivery_date=tomorrow, status__in=ON_THE_WAY)
    key = f"reminder:{tomorrow.isoformat()}"
    return sum(send_order_email(pk, "reminder", key) for pk in due.values_list("pk", flat=True))


def send_review_requests(now: dt.datetime | None = None) -> int:
    """Asks for a review seven days after delivery (and not for deliveries long ago)."""
    now = now or timezone.now()
    delivered = OrderEvent.objects.filter(
        status=Status.DELIVERED,
        created__lte=now - REVIEW_AFTER,
        created__gt=now - 4 * REVIEW_AFTER,
        order__status=Status.DELIVERED,
    )
    ids = delivered.values_list("order_id", flat=True).distinct()
    return sum(send_order_email(pk, "review") for pk in ids)


@db_periodic_task(crontab(minute="5"))
def hourly_order_emails() -> None:
    send_reminders()
    send_review_requests()
