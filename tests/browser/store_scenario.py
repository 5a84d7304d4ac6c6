"""Run beside a served app: `python -m tests.browser.store_scenario setup|clock NUMBER|train`.

`setup` loads the catalogue and makes a parent (verified e-mail channel, a family with
a child) and a store staff member; it prints the family and child ids as JSON.
`clock NUMBER` moves the clock for order NUMBER: the reminder the day before its
delivery date, the delivery itself, and the review request seven days later.
`train` runs the nightly recommendations job now.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

PARENT = "parent.shopper@example.org"
STAFF = "dispatch@example.org"
PASSWORD = "shopping-password-42"


def setup() -> dict[str, int]:
    from allauth.account.models import EmailAddress

    from carewatch.kids.store.catalogue.loader import load_catalogue
    from carewatch.kids.tracker.models import Child
    from carewatch.platform.accounts.actions import do_create_family
    from carewatch.platform.accounts.models import User
    from carewatch.platform.notify.models import Channel

    load_catalogue()
    parent = User.objects.create_user(PARENT, PASSWORD, first_name="Priya")
    EmailAddress.objects.create(user=parent, email=PARENT, verified=True, primary=True)
    Channel.objects.create(
        owner=parent, kind="email", name="E-mail", value={"email": PARENT}, verified=True
    )
    family = do_create_family(parent, "The Shopper family")
    child = Child.objects.create(family=family, name="Anu", birth_year=2018)
    staff = User.objects.create_user(STAFF, PASSWORD, first_name="Ravi", is_staff=True)
    EmailAddress.objects.create(user=staff, email=STAFF, verified=True, primary=True)
    return {"family": family.pk, "child": child.pk}


def clock(number: str) -> dict[str, int]:
    from django.utils import timezone

    from carewatch.kids.store.orders.actions import do_set_status
    from carewatch.kids.store.orders.models import Order, OrderEvent
    from carewatch.kids.store.orders.tasks import send_reminders, send_review_requests

    order = Order.objects.get(number=number)
    day_before = dt.datetime.combine(order.delivery_date - dt.timedelta(days=1), dt.time(18))
    reminders = send_reminders(timezone.make_aware(day_before))
    do_set_status(order, "delivered")
    delivered = OrderEvent.objects.get(order=order, status="delivered").created
    reviews = send_review_requests(delivered + dt.timedelta(days=7, minutes=1))
    return {"reminders": reminders, "reviews": reviews}


def train() -> dict[str, int]:
    from carewatch.kids.store.recommend.build import refresh

    written = refresh()
    return {"users": written.users, "rows": written.rows}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carewatch.settings")
    import django

    django.setup()
    if sys.argv[1] == "setup":
        print(json.dumps(setup()))
    elif sys.argv[1] == "train":
        print(json.dumps(train()))
    else:
        print(json.dumps(clock(sys.argv[2])))
