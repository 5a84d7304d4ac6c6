"""Run beside a served app: `python -m tests.browser.after_sale_scenario STEP [ARG]`.

`setup` loads the catalogue and makes a parent (verified e-mail channel, a family with
two children) and returns the family id. `deliver NUMBER` takes the order through the
pipeline to delivered (the served app's worker then makes the personal offers) and runs
the nightly recommendation training.
`pair NUMBER` pairs the order's watch with the first child. `publish` puts a new
product on sale the way staff do, twice (the mail must still go once). `status EMAIL`
says where the new-product subscription of EMAIL stands.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

PARENT = "parent.after@example.org"
PASSWORD = "after-sale-password-42"
NEW_PRODUCT = "CareWatch Glow Strap"


def setup() -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    from carewatch.kids.store.catalogue.loader import load_catalogue
    from carewatch.kids.tracker.models import Child
    from carewatch.platform.accounts.actions import do_create_family
    from carewatch.platform.accounts.models import User
    from carewatch.platform.notify.models import Channel

    load_catalogue()
    parent = User.objects.create_user(PARENT, PASSWORD, first_name="Lakshmi")
    EmailAddress.objects.create(user=parent, email=PARENT, verified=True, primary=True)
    Channel.objects.create(
        owner=parent, kind="email", name="E-mail", value={"email": PARENT}, verified=True
    )
    family = do_create_family(parent, "The After family")
    Child.objects.create(family=family, name="Anu", birth_year=2017)
    Child.objects.create(family=family, name="Ravi", birth_year=2019)
    return {"family": family.pk}


def deliver(number: str) -> dict[str, Any]:
    from carewatch.kids.store.orders.actions import do_set_status, do_ship
    from carewatch.kids.store.orders.models import Order
    from carewatch.kids.store.recommend.build import refresh

    order = Order.objects.get(number=number)
    do_set_status(order, "packed")
    do_ship(order, "BlueDart", "BD777")
    do_set_status(order, "out_for_delivery")
    do_set_status(order, "delivered")
    written = refresh()  # what the nightly task does
    return {"status": order.status, "rows": written.rows}


def pair(number: str) -> dict[str, Any]:
    from django.utils import timezone

    from carewatch.kids.store.orders.models import Order
    from carewatch.kids.tracker.models import Child, Device

    order = Order.objects.get(number=number)
    device = Device.objects.get(order_line__order=order)
    assert order.owner is not None
    family = order.owner.family_memberships.get().family
    child = Child.objects.filter(family=family).order_by("pk").first()
    Device.objects.filter(pk=device.pk).update(family=family, child=child, paired_at=timezone.now())
    return {"device": device.pk}


def publish() -> dict[str, Any]:
    from carewatch.kids.store.catalogue.models import Category, Product
    from carewatch.kids.store.catalogue.signals import do_publish

    product = Product.objects.create(
        slug="glow-strap",
        name=NEW_PRODUCT,
        kind="accessory",
        category=Category.objects.get(products__slug="soft-strap"),
        summary="A strap that glows in the dark.",
        illustration="strap",
        price=449,
        stock=50,
        is_active=False,
    )
    do_publish(product)
    do_publish(product)  # a double click in the admin: still one e-mail each
    return {"product": product.pk}


def status(email: str) -> dict[str, Any]:
    from carewatch.kids.store.mailing.models import Subscriber

    subscriber = Subscriber.objects.filter(email=email).first()
    return {"status": subscriber.status if subscriber else None}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carewatch.settings")
    import django

    django.setup()
    step, args = sys.argv[1], sys.argv[2:]
    steps: dict[str, Callable[..., dict[str, Any]]] = {
        "setup": setup,
        "deliver": deliver,
        "pair": pair,
        "publish": publish,
        "status": status,
    }
    print(json.dumps(steps[step](*args)))
