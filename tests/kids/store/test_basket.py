"""The basket: add, change, remove, prices captured, merged into the account at login."""

from __future__ import annotations

from decimal import Decimal

from carewatch.kids.store.basket.models import Basket, BasketLine
from carewatch.kids.store.catalogue.models import Product
from tests.base import PASSWORD
from tests.kids.store.base import StoreTestCase


class BasketTests(StoreTestCase):
    def test_it_keeps_an_anonymous_basket_in_the_session(self) -> None:
        self.add_to_basket(self.junior, 2)
        response = self.client.get("/kids/shop/basket/")
        self.assertContains(response, "CareWatch Junior 4G")
        self.assertContains(response, "₹10,998.00")

    def test_it_changes_the_quantity_and_removes_a_line(self) -> None:
        self.add_to_basket(self.junior)
        line = BasketLine.objects.get()
        self.client.post(f"/kids/shop/basket/lines/{line.pk}/", {"quantity": 3})
        self.assertEqual(BasketLine.objects.get().quantity, 3)
        self.client.post(f"/kids/shop/basket/lines/{line.pk}/", {"remove": "1"})
        self.assertFalse(BasketLine.objects.exists())

    def test_it_captures_the_price_and_says_when_it_changed(self) -> None:
        self.add_to_basket(self.junior)
        Product.objects.filter(pk=self.junior.pk).update(price=Decimal("4999"))
        self.assertEqual(BasketLine.objects.get().price, Decimal("5499"))
        response = self.client.get("/kids/shop/basket/")
        self.assertContains(response, "The price has changed from ₹5,499.00 to ₹4,999.00")

    def test_it_refuses_a_product_out_of_stock(self) -> None:
        Product.objects.filter(pk=self.junior.pk).update(stock=0)
        self.add_to_basket(self.junior)
        self.assertFalse(BasketLine.objects.exists())

    def test_it_merges_the_anonymous_basket_into_the_account_at_login(self) -> None:
        self.login(self.alice)
        self.add_to_basket(self.junior)
        self.client.logout()
        self.add_to_basket(self.junior, 2)
        self.add_to_basket(self.strap)
        self.client.post("/accounts/login/", {"login": self.alice.email, "password": PASSWORD})
        basket = Basket.objects.get(owner=self.alice)
        quantities = {line.product.slug: line.quantity for line in basket.lines.all()}
        self.assertEqual(quantities, {"carewatch-junior-4g": 3, "soft-strap": 1})
        self.assertEqual(Basket.objects.count(), 1)

    def test_another_visitor_cannot_change_my_basket(self) -> None:
        self.login(self.alice)
        self.add_to_basket(self.junior)
        line = BasketLine.objects.get()
        self.login(self.charlie)
        self.client.post(f"/kids/shop/basket/lines/{line.pk}/", {"remove": "1"})
        self.assertTrue(BasketLine.objects.filter(pk=line.pk).exists())
