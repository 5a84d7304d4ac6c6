"""My CareWatch (the profile) shows the shop's sections: recommendations from the stored
table, personal offers and the new-product choice; each person sees only their own."""

from __future__ import annotations

from django.utils import timezone

from carewatch.kids.store.offers.models import Coupon
from carewatch.kids.store.recommend.build import refresh
from carewatch.kids.tracker.models import Child, Device
from tests.kids.store.base import StoreTestCase
from tests.kids.store.test_related_products import order_of


class ProfileSectionTests(StoreTestCase):
    def setUp(self) -> None:
        super().setUp()
        order = order_of(self.junior, owner=self.alice)
        asha = Child.objects.create(family=self.family, name="Asha", birth_year=2018)
        device = Device.objects.create(
            identifier="860000000000002", family=self.family, child=asha, paired_at=timezone.now()
        )
        order.lines.update(device=device)
        refresh()

    def test_the_profile_shows_recommendations_that_fit_the_familys_watch(self) -> None:
        self.login(self.alice)
        home = self.client.get("/home/")
        self.assertContains(home, "Recommended for you")
        self.assertContains(home, "Fits your CareWatch Junior 4G")
        self.assertContains(home, 'href="/kids/shop/for-you/"')
        self.assertContains(home, "E-mail me when CareWatch publishes a new product")

    def test_an_outsider_sees_neither_the_others_recommendations_nor_offers(self) -> None:
        Coupon.objects.create(
            description="Alice only", kind="percent", value=5, customer=self.alice
        )
        self.login(self.charlie)
        home = self.client.get("/home/")
        self.assertNotContains(home, "Fits your CareWatch Junior 4G")
        self.assertNotContains(home, "Alice only")
