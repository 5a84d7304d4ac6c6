"""Browsing: the list with search and filters, product pages, comparison, the guide."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from carewatch.kids.store.catalogue.loader import load_catalogue
from carewatch.kids.store.catalogue.models import Product
from tests.base import with_authenticator
from tests.kids.store.base import StoreTestCase


class CatalogueTests(StoreTestCase):
    def test_it_lists_trackers_and_accessories_with_prices_in_rupees(self) -> None:
        response = self.client.get("/kids/shop/")
        self.assertContains(response, "CareWatch Junior 4G")
        self.assertContains(response, "Soft silicone strap")
        self.assertContains(response, "₹5,499.00")

    def test_it_searches_by_name_and_summary(self) -> None:
        response = self.client.get("/kids/shop/", {"q": "swim"})
        self.assertContains(response, "CareWatch Swim 4G")
        self.assertNotContains(response, "CareWatch Junior 4G")

    def test_it_filters_by_connectivity_price_and_stock(self) -> None:
        Product.objects.filter(slug="carewatch-tag").update(stock=0)
        names = self._names({"connectivity": "lte", "max_price": "6000", "in_stock": "on"})
        self.assertEqual(names, ["CareWatch Junior 4G"])

    def test_it_lists_products_in_a_fixed_number_of_queries(self) -> None:
        with CaptureQueriesContext(connection) as few:
            self.client.get("/kids/shop/")
        for n in range(10):
            extra = Product.objects.get(slug="soft-strap")
            extra.pk, extra.slug = None, f"strap-{n}"
            extra.save()
        with CaptureQueriesContext(connection) as many:
            response = self.client.get("/kids/shop/")
        self.assertContains(response, "strap-9")
        self.assertEqual(len(many), len(few))
        self.assertLessEqual(len(many), 6)

    def test_it_shows_a_product_page_with_its_drawing_and_specifications(self) -> None:
        response = self.client.get("/kids/shop/products/carewatch-swim-4g/")
        self.assertContains(response, "catalogue/img/watch-square.svg")
        self.assertContains(response, "IP68: swimming")
        self.assertContains(response, "48 hours")
        self.assertEqual(self.client.get("/kids/shop/products/nope/").status_code, 404)

    def test_it_compares_two_to_four_trackers_side_by_side(self) -> None:
        response = self.client.get(
            "/kids/shop/compare/", {"p": ["carewatch-junior", "carewatch-swim-4g"]}
        )
        self.assertEqual(
            list(response.context["products"]),
            [Product.objects.get(slug="carewatch-junior"), self.swim],
        )
        self.assertContains(response, "IP54: splashes")
        one = self.client.get("/kids/shop/compare/", {"p": "carewatch-junior"})
        self.assertContains(one, "Choose two to four trackers")

    def test_it_caps_the_comparison_at_four(self) -> None:
        slugs = list(Product.objects.filter(kind="tracker").values_list("slug", flat=True))
        response = self.client.get("/kids/shop/compare/", {"p": slugs})
        self.assertEqual(len(response.context["products"]), 4)

    def test_the_guide_suggests_swim_proof_trackers_for_a_swimmer(self) -> None:
        response = self.client.get("/kids/shop/guide/", {"age": 7, "uses": ["swimming"]})
        picks = [product.slug for product, _ in response.context["picks"]]
        self.assertEqual(picks, ["carewatch-swim-4g"])
        self.assertContains(response, "Swim-proof (IP68)")

    def test_the_loader_is_idempotent_and_keeps_the_stock_staff_set(self) -> None:
        Product.objects.filter(slug="carewatch-teen").update(stock=3)
        load_catalogue()
        self.assertEqual(Product.objects.filter(slug="carewatch-teen").get().stock, 3)
        self.assertEqual(Product.objects.count(), 11)  # five trackers, six accessories

    def test_staff_manage_products_in_the_admin(self) -> None:
        admin = type(self.alice).objects.create_superuser("root@example.org", "pw-12345678")
        with_authenticator(admin)
        self.client.force_login(admin)
        response = self.client.get("/admin/catalogue/product/")
        self.assertContains(response, "CareWatch Teen")

    def _names(self, query: dict) -> list[str]:
        return [p.name for p in self.client.get("/kids/shop/", query).context["products"]]
