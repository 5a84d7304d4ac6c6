"""Personal offers: made after a delivery (and nightly), once per customer, shown in the
profile with "Apply" that puts them on the basket, and charged at checkout."""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from carewatch.kids.store.offers.models import Coupon, Offer
from carewatch.kids.store.offers.personal import make_offers
from carewatch.kids.store.offers.tasks import nightly_offers
from carewatch.kids.store.orders.actions import do_set_status, do_ship
from carewatch.kids.store.orders.models import Order
from carewatch.kids.tracker.models import Child, Device
from tests.kids.store.base import StoreTestCase


class PersonalOfferTests(StoreTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()

    def buy_and_deliver(self) -> Order:
        self.login(self.alice)
        self.add_to_basket(self.junior)
        self.enter_details()
        self.pay()
        order = Order.objects.get()
        do_set_status(order, "packed")
        do_ship(order, "BlueDart", "BD1")
        do_set_status(order, "out_for_delivery")
        with self.captureOnCommitCallbacks(execute=True):  # the task after the commit
            do_set_status(order, "delivered")
        return order

    def test_a_delivered_watch_brings_an_accessory_offer_once(self) -> None:
        self.buy_and_deliver()
        offer = Coupon.objects.get(customer=self.alice)
        self.assertEqual((offer.offer, offer.applies_to), (Offer.ACCESSORY, "accessory"))
        self.assertEqual((offer.total_limit, offer.per_customer_limit), (1, 1))
        assert offer.valid_until is not None
        self.assertGreater(offer.valid_until, timezone.now())
        self.assertEqual(make_offers(self.alice), [])
        nightly_offers()
        self.assertEqual(Coupon.objects.filter(customer=self.alice).count(), 1)

    def test_a_family_with_more_children_than_watches_gets_a_sibling_offer(self) -> None:
        first = Child.objects.create(family=self.family, name="Anu", birth_year=2017)
        Device.objects.create(
            identifier="990000000000001", family=self.family, child=first, paired_at=timezone.now()
        )
        self.assertEqual(make_offers(self.alice), [])
        Child.objects.create(family=self.family, name="Ravi", birth_year=2019)
        nightly_offers()
        for parent in (self.alice, self.bob):
            offer = Coupon.objects.get(customer=parent)
            self.assertEqual((offer.offer, offer.applies_to), (Offer.SIBLING, "tracker"))
        self.assertFalse(Coupon.objects.filter(customer=self.charlie).exists())

    def test_the_profile_shows_the_offer_and_apply_puts_it_on_the_basket(self) -> None:
        self.buy_and_deliver()
        offer = Coupon.objects.get(customer=self.alice)
        home = self.client.get("/home/")
        self.assertContains(home, "Offers for you")
        self.assertContains(home, "15% off straps and chargers for your watch")
        self.add_to_basket(self.strap, 2)
        response = self.client.post("/kids/shop/basket/coupon/", {"code": offer.code}, follow=True)
        self.assertRedirects(response, "/kids/shop/basket/")
        self.assertContains(response, "You save ₹119.70")
        self.enter_details()
        self.pay()
        second = Order.objects.exclude(discount=0).get()
        self.assertEqual(second.total, Decimal("798") - Decimal("119.70") + Decimal("99"))
        self.assertEqual(second.discounts.get().offer, Offer.ACCESSORY)
        self.assertNotContains(self.client.get("/home/"), "Offers for you")

    def test_an_outsider_sees_none_of_anothers_offers(self) -> None:
        self.buy_and_deliver()
        self.login(self.charlie)
        home = self.client.get("/home/")
        self.assertNotContains(home, "Offers for you")
        self.assertNotContains(home, Coupon.objects.get().code)
        self.client.logout()
        self.assertRedirects(
            self.client.get("/home/"), "/accounts/login/?next=/home/", fetch_redirect_response=False
        )
