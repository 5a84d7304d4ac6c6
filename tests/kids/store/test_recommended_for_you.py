"""Recommended for you: the nightly task writes each customer's rows; the profile, the
order page and the orders list read them, with a reason, and never another customer's."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders.models import Order, Status
from carewatch.kids.store.recommend import tasks
from carewatch.kids.store.recommend.build import refresh
from carewatch.kids.store.recommend.models import ProductView, Reason, RecommendationRow
from carewatch.kids.tracker.models import Child, Device
from carewatch.platform.accounts.models import User
from tests.kids.store.base import StoreTestCase
from tests.kids.store.test_related_products import order_of

FOR_YOU = "/kids/shop/for-you/"


class RecommendedForYouTests(StoreTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Alice's family: a paired Junior 4G on Asha (7); Ravi (12) has no watch yet.
        self.order = order_of(self.junior, owner=self.alice)
        asha = Child.objects.create(family=self.family, name="Asha", birth_year=self.born(7))
        Child.objects.create(family=self.family, name="Ravi", birth_year=self.born(12))
        device = Device.objects.create(
            identifier="860000000000001", family=self.family, child=asha, paired_at=timezone.now()
        )
        self.order.lines.update(device=device)
        # Other families bought watches and accessories: what the model learns from.
        for n in range(6):
            shopper = User.objects.create_user(f"shopper{n}@example.org", "pw-shopper-1234")
            order_of(self.junior, Product.objects.get(slug="sim-plan-12"), owner=shopper)

    @staticmethod
    def born(age: int) -> int:
        return timezone.localdate().year - age

    def rows(self, user: User) -> list[tuple[str, str, str]]:
        found = RecommendationRow.objects.filter(user=user).select_related("product")
        return [(r.product.slug, r.reason, r.about) for r in found]

    def test_the_nightly_task_writes_recommendations_that_fit_the_familys_watch(self) -> None:
        written: Any = tasks.train_recommendations.call_local()
        self.assertGreater(written.rows, 0)
        rows = self.rows(self.alice)
        self.assertEqual(rows[0][1:], (Reason.FITS, "CareWatch Junior 4G"))
        slugs = [slug for slug, _, _ in rows]
        self.assertNotIn("tag-holder", slugs)  # fits the Tag, which they do not have
        self.assertNotIn("carewatch-junior-4g", slugs)  # Ravi (12) is too old for it

    def test_a_child_without_a_watch_gets_one_for_their_age(self) -> None:
        refresh()
        second = [r for r in self.rows(self.alice) if r[1] == Reason.SECOND_WATCH]
        self.assertTrue(second)
        for slug, _, about in second:
            product = Product.objects.get(slug=slug)
            self.assertEqual(about, "12")
            self.assertTrue(product.min_age <= 12 <= product.max_age)

    def test_the_management_command_retrains_and_says_what_it_wrote(self) -> None:
        out = io.StringIO()
        call_command("train_recommendations", stdout=out)
        self.assertIn("recommendations for", out.getvalue())
        self.assertTrue(RecommendationRow.objects.filter(user=self.alice).exists())

    def test_the_profile_shows_recommendations_with_their_reason(self) -> None:
        refresh()
        self.login(self.alice)
        page = self.client.get(FOR_YOU)
        self.assertContains(page, "Recommended for you")
        self.assertContains(page, "Fits your CareWatch Junior 4G")
        self.assertContains(page, "For your 12-year-old, who has no watch yet")

    def test_another_guardian_of_the_family_gets_recommendations_for_the_familys_watch(
        self,
    ) -> None:
        refresh()
        self.login(self.bob)  # never ordered, but guards the same children
        self.assertContains(self.client.get(FOR_YOU), "Fits your CareWatch Junior 4G")

    def test_a_customer_the_model_has_not_met_gets_the_rows_of_their_familys_watch(
        self,
    ) -> None:
        refresh()
        RecommendationRow.objects.filter(user=self.bob).delete()  # joined after the last run
        self.login(self.bob)
        page = self.client.get(FOR_YOU)
        self.assertContains(page, "Fits your CareWatch Junior 4G")
        self.assertNotContains(page, "12-year-old")  # the segment knows no children

    def test_a_new_customer_gets_what_is_popular_with_new_visitors(self) -> None:
        refresh()
        self.login(self.charlie)
        page = self.client.get(FOR_YOU)
        self.assertContains(page, "Popular with families like yours")
        self.assertContains(page, "CareWatch Junior 4G")  # the best seller
        self.assertNotContains(page, "Fits your")

    def test_an_outsider_never_sees_another_customers_recommendations(self) -> None:
        refresh()
        self.login(self.charlie)
        self.assertNotContains(self.client.get(FOR_YOU), "12-year-old")
        self.assertEqual(self.client.get(self.order.get_absolute_url()).status_code, 404)
        self.client.logout()
        self.assertRedirects(
            self.client.get(FOR_YOU),
            f"/accounts/login/?next={FOR_YOU}",
            fetch_redirect_response=False,
        )

    def test_the_orders_list_and_the_order_page_show_them_without_what_was_just_bought(
        self,
    ) -> None:
        refresh()
        self.login(self.alice)
        self.assertContains(self.client.get("/kids/shop/orders/"), "Fits your CareWatch Junior 4G")
        strap_order = order_of(self.strap, owner=self.alice, status=Status.PAID)
        page = self.client.get(strap_order.get_absolute_url()).content.decode()
        section = page.split('id="for-you-heading"', 1)[1]
        self.assertNotIn("Soft silicone strap", section)
        self.assertIn("Fits your CareWatch Junior 4G", section)

    def test_after_a_guest_checkout_the_order_page_shows_what_fits_the_new_watch(self) -> None:
        refresh()
        self.add_to_basket(self.junior)
        self.enter_details()
        page = self.pay().content.decode()
        self.assertIn("Recommended for you", page)
        self.assertIn("Fits the CareWatch Junior 4G", page)
        self.assertEqual(Order.objects.filter(owner=None).count(), 1)

    def test_nothing_sold_out_or_withdrawn_is_shown_even_from_old_rows(self) -> None:
        refresh()
        Product.objects.filter(slug="sim-plan-12").update(stock=0)
        Product.objects.filter(slug="magnetic-charger").update(is_active=False)
        self.login(self.alice)
        page = self.client.get(FOR_YOU)
        self.assertNotContains(page, "4G SIM plan")
        self.assertNotContains(page, "Magnetic charging cable")

    def test_a_signed_in_customers_view_is_recorded_once_per_session(self) -> None:
        self.login(self.alice)
        for _ in range(3):
            self.client.get("/kids/shop/products/carewatch-teen/")
        self.assertEqual(ProductView.objects.filter(user=self.alice).count(), 1)

    def test_an_anonymous_visitors_views_are_not_recorded(self) -> None:
        self.client.get("/kids/shop/products/carewatch-teen/")
        self.assertFalse(ProductView.objects.exists())
        self.assertNotIn("sessionid", self.client.cookies)

    def test_the_nightly_run_forgets_views_older_than_half_a_year(self) -> None:
        old = ProductView.objects.create(user=self.charlie, product=self.junior)
        ProductView.objects.filter(pk=old.pk).update(
            viewed_at=timezone.now() - dt.timedelta(days=181)
        )
        recent = ProductView.objects.create(user=self.charlie, product=self.junior)
        refresh()
        self.assertEqual(list(ProductView.objects.all()), [recent])

    def test_views_and_the_basket_feed_the_model(self) -> None:
        self.login(self.charlie)
        self.client.get("/kids/shop/products/carewatch-teen/")
        self.add_to_basket(Product.objects.get(slug="carewatch-swim-4g"))
        refresh()
        slugs = [slug for slug, _, _ in self.rows(self.charlie)]
        self.assertTrue(slugs)
        self.assertNotIn("carewatch-swim-4g", slugs)  # already in the basket
