"""Store tests start from the demo catalogue and the named users of tests.base."""

from __future__ import annotations

from carewatch.kids.store.catalogue.loader import load_catalogue
from carewatch.kids.store.catalogue.models import Product
from tests.base import BaseTestCase


class StoreTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_catalogue()
        cls.junior = Product.objects.get(slug="carewatch-junior-4g")
        cls.swim = Product.objects.get(slug="carewatch-swim-4g")
        cls.strap = Product.objects.get(slug="soft-strap")

    def add_to_basket(self, product: Product, quantity: int = 1) -> None:
        url = f"/kids/shop/basket/add/{product.slug}/"
        self.client.post(url, {"quantity": quantity})
