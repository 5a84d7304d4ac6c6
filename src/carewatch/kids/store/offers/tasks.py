"""Personal offers from the task queue: after a delivery, and every night for everyone."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from carewatch.kids.store.offers import personal
from carewatch.kids.store.orders.models import Order, Status
from carewatch.platform.accounts.models import FamilyMembership, User


@db_task(retries=3, retry_delay=60)
def offers_for(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        personal.make_offers(user)


@db_periodic_task(crontab(hour="3", minute="20"))
def nightly_offers() -> int:
    """Families change between orders (a child added, a watch paired): look at everyone
    who bought or has a family."""
    buyers = Order.objects.filter(status=Status.DELIVERED).values("owner_id")
    members = FamilyMembership.objects.values("user_id")
    users = User.objects.filter(is_active=True).filter(pk__in=buyers) | User.objects.filter(
        is_active=True, pk__in=members
    )
    return sum(len(personal.make_offers(user)) for user in users.distinct().iterator())
