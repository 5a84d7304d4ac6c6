"""A quantity of 0 never makes a basket line, and a basket with nothing to pay for never
reaches the payment page (it showed ₹0.00)."""

from __future__ import annotations

from carewatch.kids.store.basket.models import Basket, BasketLine
from tests.kids.store.base import StoreTestCase, details


class QuantityZeroTests(StoreTestCase):
    def test_adding_zero_or_less_adds_no_line(self) -> None:
        for quantity in (0, -3):
            with self.subTest(quantity=quantity):
                response = self.client.post(
                    f"/kids/shop/basket/add/{self.junior.slug}/", {"quantity": quantity}
                )
                self.assertEqual(response.status_code, 302)
                self.assertFalse(BasketLine.objects.exists())

    def test_a_basket_of_zero_quantities_never_reaches_the_payment_page(self) -> None:
        self.add_to_basket(self.junior)
        BasketLine.objects.update(quantity=0)  # e.g. a line left from an older version
        response = self.client.post("/kids/shop/checkout/", details(), follow=True)
        self.assertRedirects(response, "/kids/shop/basket/")
        self.assertContains(response, "Your basket is empty")
        pay = self.client.get("/kids/shop/checkout/pay/", follow=True)
        self.assertNotContains(pay, "₹0.00")
        self.assertNotIn("/checkout/pay/", pay.redirect_chain[-1][0] if pay.redirect_chain else "")
        self.assertEqual(Basket.objects.count(), 1)
