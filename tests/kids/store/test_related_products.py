"""Related products on the product page and in the basket, read from the stored table."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from django.core.cache import cache
from django.test.client import Client
from django.utils import timezone

from carewatch.kids.store.catalogue import pagecache
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders.models import Order, OrderLine, Status
from carewatch.kids.store.recommend.build import refresh
from carewatch.kids.store.recommend.models import RelatedProduct, RelatedReason
from carewatch.platform.accounts.models import User
from tests.kids.store.base import StoreTestCase

JUNIOR = "/kids/shop/products/carewatch-junior-4g/"
TEEN = "/kids/shop/products/carewatch-teen/"


def order_of(
    *products: Product, owner: User | None = None, status: str = Status.DELIVERED
) -> Order:
    """A paid order as the pipeline leaves it, without going through checkout."""
    order = Order.objects.create(
        number=uuid.uuid4().hex[:10].upper(),
        checkout_key=uuid.uuid4().hex,
        owner=owner,
        status=status,
        name="Priya Sharma",
        email="priya@example.org",
        phone="9876543210",
        address_line1="12 Anna Salai",
        city="Chennai",
        state="Tamil Nadu",
        pincode="600002",
        delivery_date=timezone.localdate(),
        delivery_slot="09-12",
        subtotal=Decimal(100),
        shipping=Decimal(0),
        tax=Decimal(0),
        total=Decimal(100),
    )
    for product in products:
        OrderLine.objects.create(
            order=order,
            product=product,
            product_name=product.name,
            unit_price=product.price,
            quantity=1,
        )
    return order


def related_names(html: str) -> list[str]:
    section = html.split('id="related-heading"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<strong>([^<]+)</strong>", section)


class RelatedProductTests(StoreTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teen = Product.objects.get(slug="carewatch-teen")

    def test_the_product_page_shows_accessories_that_fit_it_first(self) -> None:
        refresh()
        page = self.client.get(JUNIOR).content.decode()
        names = related_names(page)
        fitting = {p.name for p in self.junior.accessories.all()}
        self.assertEqual(len(names), 4)
        self.assertEqual(set(names[:3]), fitting)
        self.assertIn("Fits the CareWatch Junior 4G", page)
        self.assertNotIn("Tag holder for shoes", names)  # fits the Tag only

    def test_products_bought_together_in_real_orders_follow_the_fitting_accessories(self) -> None:
        order_of(self.teen, self.junior)
        order_of(self.teen, self.junior)
        order_of(self.teen, self.junior, status=Status.CANCELLED)  # not a sale
        refresh()
        rows = RelatedProduct.objects.filter(product=self.teen)
        reasons = [r.reason for r in rows]
        self.assertEqual(reasons[:3], [RelatedReason.FITS] * 3)
        self.assertEqual(rows[3].related, self.junior)
        self.assertEqual(rows[3].reason, RelatedReason.BOUGHT_TOGETHER)
        self.assertContains(self.client.get(TEEN), "Often bought with the CareWatch Teen")

    def test_a_product_that_cannot_be_bought_is_never_related(self) -> None:
        Product.objects.filter(slug="sim-plan-12").update(stock=0)
        refresh()
        self.assertFalse(RelatedProduct.objects.filter(related__slug="sim-plan-12").exists())
        Product.objects.filter(slug="soft-strap").update(is_active=False)  # after the task
        cache.clear()
        self.assertNotIn(
            "Soft silicone strap", related_names(self.client.get(JUNIOR).content.decode())
        )

    def test_new_related_rows_show_on_the_stored_page_at_once(self) -> None:
        self.assertNotContains(Client().get(JUNIOR), "related-heading")
        with self.captureOnCommitCallbacks(execute=True):
            refresh()
        self.assertContains(Client().get(JUNIOR), "related-heading")

    def test_the_basket_shows_what_fits_its_tracker_and_nothing_already_in_it(self) -> None:
        refresh()
        self.add_to_basket(self.junior)
        self.add_to_basket(self.strap)
        page = self.client.get("/kids/shop/basket/").content.decode()
        names = related_names(page)
        self.assertIn("Magnetic charging cable", names)
        self.assertNotIn("Soft silicone strap", names)
        self.assertNotIn("CareWatch Junior 4G", names)
        self.assertIn("Fits the CareWatch Junior 4G", page)

    def test_an_empty_basket_shows_no_related_products(self) -> None:
        refresh()
        self.assertNotContains(self.client.get("/kids/shop/basket/"), "related-heading")

    def test_each_visitor_with_a_session_gets_their_own_token_in_the_stored_product_part(
        self,
    ) -> None:
        refresh()
        secrets = []
        for _ in range(2):
            visitor = Client(enforce_csrf_checks=True)
            visitor.cookies["sessionid"] = "no-such-session"  # rendered, not a stored page
            page = visitor.get(JUNIOR).content.decode()
            tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            self.assertEqual(len({pagecache.unmask(t) for t in tokens}), 1)
            secrets.append(pagecache.unmask(tokens[0]))
            answer = visitor.post(
                "/kids/shop/basket/add/carewatch-junior-4g/",
                {"quantity": 1, "csrfmiddlewaretoken": tokens[1]},
            )
            self.assertEqual(answer.status_code, 302)
        self.assertNotEqual(secrets[0], secrets[1])

    def test_the_accessory_knows_the_trackers_it_fits(self) -> None:
        sim = Product.objects.get(slug="sim-plan-12")
        self.assertEqual(
            set(sim.fits.values_list("slug", flat=True)),
            {"carewatch-tag", "carewatch-junior-4g", "carewatch-swim-4g", "carewatch-teen"},
        )
        self.assertIn(sim, self.junior.accessories.all())
