"""Store tests start from the demo catalogue and the named users of tests.base."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.test.client import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from carewatch.kids.store.catalogue.loader import load_catalogue
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.checkout.forms import delivery_dates
from carewatch.kids.store.payments.gateway import TestGateway
from tests.base import BaseTestCase

GOOD_CARD = "4242424242424242"
CVC = "987"


def details(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Priya Sharma",
        "email": "priya@example.org",
        "phone": "9876543210",
        "address_line1": "12 Anna Salai",
        "address_line2": "Near the park",
        "city": "Chennai",
        "state": "Tamil Nadu",
        "pincode": "600002",
        "delivery_date": delivery_dates(timezone.localdate())[0].isoformat(),
        "delivery_slot": "09-12",
        **changes,
    }


def card(number: str = GOOD_CARD, cvc: str = CVC) -> dict[str, Any]:
    return {"number": number, "exp_month": "12", "exp_year": "30", "cvc": cvc}


class StoreTestCase(BaseTestCase):
    junior: Product
    swim: Product
    strap: Product

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_catalogue()
        cls.junior = Product.objects.get(slug="carewatch-junior-4g")
        cls.swim = Product.objects.get(slug="carewatch-swim-4g")
        cls.strap = Product.objects.get(slug="soft-strap")

    def setUp(self) -> None:
        super().setUp()
        self.gateway = TestGateway()
        patcher = mock.patch.dict(
            "carewatch.kids.store.payments.gateway._instances", {"test": self.gateway}
        )
        patcher.start()
        self.addCleanup(patcher.stop)
        # pytest-django reads the settings before conftest sets HUEY_IMMEDIATE: switch
        # immediate mode on here so no test task reaches the developer's task database.
        was_immediate, HUEY.immediate = HUEY.immediate, True
        self.addCleanup(setattr, HUEY, "immediate", was_immediate)

    def add_to_basket(
        self, product: Product, quantity: int = 1, client: Client | None = None
    ) -> None:
        url = f"/kids/shop/basket/add/{product.slug}/"
        (client or self.client).post(url, {"quantity": quantity})

    def enter_details(self, **changes: Any) -> None:
        response = self.client.post("/kids/shop/checkout/", details(**changes))
        self.assertRedirects(response, "/kids/shop/checkout/pay/")

    def pay(self, **card_fields: Any) -> Any:
        return self.client.post("/kids/shop/checkout/pay/", card(**card_fields), follow=True)
