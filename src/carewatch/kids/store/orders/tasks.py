"""Order e-mails from the task queue: after each status change, and on a clock for the
delivery reminder (the day before) and the review request (seven days after delivery).
A sweep sends the e-mail of a status change whose task was lost (the queue was down at
the change, a worker died): each still goes once, claimed by its OrderEmail row."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from carewatch.kids.store.orders.emails import send_order_email
from carewatch.kids.store.orders.models import Order, OrderEmail, OrderEvent, Status
from carewatch.kids.store.orders.pipeline import EMAILS_ON

REVIEW_AFTER = dt.timedelta(days=7)
# Orders still on their way: the ones a reminder is for.
ON_THE_WAY = [Status.PAID, Status.PACKED, Status.SHIPPED, Status.OUT_FOR_DELIVERY]
# A status e-mail not claimed this long after the change lost its task; older changes
# than LOOK_BACK are left alone (nobody wants last month's "on its way").
MISSED_AFTER = dt.timedelta(minutes=10)
LOOK_BACK = dt.timedelta(days=2)


@db_task(retries=5, retry_delay=60)
def order_email(order_id: int, kind: str) -> None:
    if wanted(order_id, kind):
        send_order_email(order_id, kind)


def wanted(order_id: int, kind: str) -> bool:
    """Accessories only: nothing to pair, no "set up your tracker"."""
    return (
        kind != "setup" or Order.objects.filter(pk=order_id, lines__device__isnull=False).exists()
    )


def send_missed_emails(now: dt.datetime | None = None) -> int:
    """The e-mails of each order's current status that never went; returns how many now did."""
    now = now or timezone.now()
    changes = OrderEvent.objects.filter(
        status__in=list(EMAILS_ON),
        order__status=F("status"),
        created__lt=now - MISSED_AFTER,
        created__gt=now - LOOK_BACK,
    )
    sent = 0
    for order_id, status in changes.values_list("order_id", "status").distinct():
        claimed = set(OrderEmail.objects.filter(order_id=order_id).values_list("key", flat=True))
        for kind in EMAILS_ON[status]:
            if kind not in claimed and wanted(order_id, kind):
                sent += send_order_email(order_id, kind)
    return sent


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


@db_periodic_task(crontab(minute="*/10"))
def requeue_missed_order_emails() -> None:
    send_missed_emails()


@db_periodic_task(crontab(minute="5"))
def hourly_order_emails() -> None:
    send_reminders()
    send_review_requests()
