"""Coupons in the basket and at checkout: the discounted price is what the TEST gateway
charges, the order keeps what was taken off and why, every rule is checked again when
paying, refusals say why and what to do, floods are cut off, refunds are prorated."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal
from typing import Any

from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.test import TransactionTestCase
from django.utils import timezone

from carewatch.kids.store.basket.models import BasketLine
from carewatch.kids.store.catalogue.loader import load_catalogue
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.offers import coupons, rules
from carewatch.kids.store.offers.models import Coupon, OrderDiscount
from carewatch.kids.store.offers.views import COUPON_KEY
from carewatch.kids.store.orders.actions import do_cancel, do_refund, do_refund_lines
from carewatch.kids.store.orders.models import Order, OrderLine, Status
from carewatch.kids.store.payments.models import Payment
from carewatch.kids.tracker.models import Device
from tests.base import make_user, with_authenticator
from tests.kids.store.base import StoreTestCase


def make_coupon(**fields: Any) -> Coupon:
    values: dict[str, Any] = {"description": "10% off", "kind": "percent", "value": 10}
    return Coupon.objects.create(**values | fields)


class CouponCheckoutTests(StoreTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()

    def apply(self, code: str) -> Any:
        return self.client.post("/kids/shop/basket/coupon/", {"code": code}, follow=True)

    def test_a_customer_pays_the_discounted_price_and_the_order_keeps_why(self) -> None:
        coupon = make_coupon(description="10% off for testing")
        self.login(self.alice)
        self.add_to_basket(self.junior)
        self.add_to_basket(self.strap, 2)
        response = self.apply(coupon.code.lower())
        self.assertContains(response, f"Coupon {coupon.code} applied")
        self.assertContains(response, "You save ₹629.70")
        self.enter_details()
        summary = self.client.get("/kids/shop/checkout/pay/")
        self.assertContains(summary, "Pay ₹5,667.30")  # 6297 - 629.70, free shipping
        with self.captureOnCommitCallbacks(execute=True):
            response = self.pay()
        [confirmation] = [m for m in mail.outbox if "confirmed" in m.subject]
        self.assertIn(f"Discount {coupon.code}: 10% off for testing: −₹629.70", confirmation.body)
        order = Order.objects.get()
        self.assertEqual((order.total, order.discount), (Decimal("5667.30"), Decimal("629.70")))
        self.assertEqual(self.gateway.calls[-1][0], "capture")
        self.assertEqual(self.gateway.calls[-1][2], Decimal("5667.30"))
        self.assertEqual(Payment.objects.get().amount, Decimal("5667.30"))
        line = OrderDiscount.objects.get()
        self.assertEqual((line.order, line.coupon, line.amount), (order, coupon, Decimal("629.70")))
        self.assertEqual(line.description, "10% off for testing")
        self.assertEqual(sum(ol.discount for ol in order.lines.all()), Decimal("629.70"))
        self.assertEqual(Coupon.objects.get().uses, 1)
        self.assertContains(response, f"Discount {coupon.code}: 10% off for testing")
        self.assertNotIn(COUPON_KEY, self.client.session)

    def test_a_discounted_payment_through_the_test_bank_charges_the_discounted_price(
        self,
    ) -> None:
        coupon = make_coupon()
        self.add_to_basket(self.junior)
        self.apply(coupon.code)
        self.enter_details()
        self.assertRedirects(
            self.pay(number="4000 0025 0000 3155"), "/kids/shop/checkout/authenticate/"
        )
        pending = self.client.session["store_checkout_pending"]
        self.assertEqual(pending["amount"], "4949.10")
        self.client.post(
            "/kids/shop/checkout/authenticate/",
            {"checkout": pending["checkout_key"], "answer": "approve"},
        )
        order = Order.objects.get()
        self.assertEqual(
            (order.total, order.discounts.get().amount), (Decimal("4949.10"), Decimal("549.90"))
        )
        self.assertEqual(
            self.gateway.calls[-1], ("capture", order.payments.get().reference, Decimal("4949.10"))
        )

    def test_a_tracker_bought_in_twos_shares_its_discount_over_the_units(self) -> None:
        coupon = make_coupon(kind="fixed", value=Decimal("100.01"))
        self.add_to_basket(self.junior, 2)
        self.apply(coupon.code)
        self.enter_details()
        self.pay()
        shares = sorted(line.discount for line in Order.objects.get().lines.all())
        self.assertEqual(shares, [Decimal("50.00"), Decimal("50.01")])

    def test_each_refusal_says_why_and_what_to_do(self) -> None:
        now = timezone.now()
        cases = {
            "expired on": make_coupon(valid_until=now - dt.timedelta(days=1)),
            "is valid from": make_coupon(valid_from=now + dt.timedelta(days=2)),
            "has been used as many times as it allows": make_coupon(total_limit=3, uses=3),
            "belongs to another customer": make_coupon(customer=self.bob),
            "needs a basket of at least ₹10,000.00. Add something": make_coupon(min_basket=10000),
            "is for a first order only": make_coupon(first_order_only=True),
        }
        self.login(self.alice)
        self.add_to_basket(self.junior)
        Order.objects.create(**self._order_fields(self.alice, Status.DELIVERED))
        for words, coupon in cases.items():
            with self.subTest(words):
                response = self.apply(coupon.code)
                self.assertContains(response, words)
        self.assertContains(self.apply("NOSUCHCODE23"), "We do not know the coupon")

    def test_a_segment_coupon_is_for_families_with_a_watch_or_buyers_of_a_category(self) -> None:
        paired = make_coupon(segment="paired_device")
        bought = make_coupon(segment="bought_category", segment_category=self.junior.category)
        Device.objects.create(identifier="990000000000009", family=self.family)
        Order.objects.create(**self._order_fields(self.bob, Status.DELIVERED)).lines.create(
            product=self.junior, product_name="x", unit_price=1, quantity=1
        )
        self.login(self.alice)
        self.add_to_basket(self.strap)
        self.assertContains(self.apply(paired.code), "applied")
        self.assertContains(self.apply(bought.code), "for customers of a particular product")
        self.login(self.bob)
        self.add_to_basket(self.strap)
        self.assertContains(self.apply(bought.code), "applied")
        self.login(self.charlie)
        self.add_to_basket(self.strap)
        self.assertContains(self.apply(paired.code), "for customers of a particular product")

    def test_every_reason_has_a_sentence(self) -> None:
        coupon = make_coupon()
        for reason in rules.Refusal:
            self.assertTrue(coupons.sentence(reason, coupon).endswith("."), reason)

    def test_a_coupon_that_stops_applying_is_refused_when_paying_and_nothing_is_charged(
        self,
    ) -> None:
        coupon = make_coupon(valid_until=timezone.now() + dt.timedelta(days=1))
        self.add_to_basket(self.junior)
        self.apply(coupon.code)
        self.enter_details()
        Coupon.objects.filter(pk=coupon.pk).update(valid_until=timezone.now())
        response = self.pay()
        self.assertRedirects(response, "/kids/shop/checkout/pay/")
        self.assertContains(response, "expired on")
        self.assertFalse(Order.objects.exists())
        self.assertEqual(self.gateway.calls, [])
        self.client.post("/kids/shop/basket/coupon/remove/", {"next": "pay"})
        self.pay()
        self.assertEqual(Order.objects.get().total, self.junior.price)

    def test_a_guest_who_ordered_before_is_refused_a_first_order_coupon_when_paying(
        self,
    ) -> None:
        Order.objects.create(**self._order_fields(None, Status.DELIVERED))
        coupon = make_coupon(first_order_only=True)
        self.add_to_basket(self.junior)
        self.assertContains(self.apply(coupon.code), "applied")  # no e-mail known yet
        self.enter_details()
        self.assertContains(self.pay(), "is for a first order only")
        self.assertEqual(Order.objects.count(), 1)

    def test_an_outsider_cannot_use_another_customers_personal_coupon(self) -> None:
        personal = make_coupon(customer=self.alice, offer="accessory_after_device")
        self.add_to_basket(self.junior)
        self.assertContains(self.apply(personal.code), "Log in to use it")
        self.login(self.charlie)
        self.add_to_basket(self.junior)
        self.assertContains(self.apply(personal.code), "belongs to another customer")
        # Even with the code put in the session some other way, paying checks again.
        session = self.client.session
        session[COUPON_KEY] = personal.code
        session.save()
        self.enter_details()
        response = self.pay()
        self.assertContains(response, "belongs to another customer")
        self.assertFalse(Order.objects.exists())
        self.assertEqual(Coupon.objects.get().uses, 0)

    def test_a_flood_of_coupon_tries_is_cut_off(self) -> None:
        good = make_coupon()
        self.add_to_basket(self.junior)
        for n in range(10):
            self.assertContains(self.apply(f"GUESS{n:07d}"), "We do not know the coupon")
        response = self.apply(good.code)
        self.assertContains(response, "Too many coupon codes were tried. Wait 15 minutes")
        self.assertNotIn(COUPON_KEY, self.client.session)

    def test_many_sessions_from_one_address_are_cut_off_too(self) -> None:
        for n in range(30):
            self.client.cookies.clear()
            response = self.apply(f"GUESS{n:07d}")
            self.assertNotContains(response, "Too many coupon codes")
        self.client.cookies.clear()
        self.assertContains(self.apply("GUESS9999999"), "Too many coupon codes")

    def test_hostile_codes_are_refused_politely_and_removing_needs_nothing(self) -> None:
        self.add_to_basket(self.junior)
        for code in ("x" * 10_000, "' OR 1=1 --", "<script>alert(1)</script>", "", "\u0000"):
            with self.subTest(code=code[:20]):
                response = self.apply(code)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "We do not know the coupon")
                self.assertNotContains(response, "<script>alert(1)</script>")
        response = self.client.post("/kids/shop/basket/coupon/remove/", follow=True)
        self.assertRedirects(response, "/kids/shop/basket/")
        self.assertEqual(self.client.get("/kids/shop/basket/coupon/").status_code, 405)

    def test_staff_cannot_save_a_segment_without_what_it_is_about(self) -> None:
        with self.assertRaises(ValidationError):
            Coupon(description="x", kind="fixed", value=1, segment="bought_product").full_clean()
        Coupon(description="x", kind="fixed", value=1, segment="paired_device").full_clean()
        staff = Coupon(code="diwali-2026", description="x", kind="fixed", value=1)
        staff.full_clean()
        self.assertEqual(staff.code, "DIWALI2026")

    def test_a_coupon_kept_for_later_waits_until_the_basket_qualifies(self) -> None:
        coupon = make_coupon(min_basket=6000)
        self.add_to_basket(self.junior)
        response = self.apply(coupon.code)
        self.assertContains(response, "We kept the coupon for your basket.")
        self.assertContains(response, "Add something to your basket to use it")
        self.add_to_basket(self.strap, 2)
        response = self.client.get("/kids/shop/basket/")
        self.assertContains(response, "You save ₹629.70")

    def test_a_partial_refund_of_a_discounted_order_gives_back_the_prorated_amount(
        self,
    ) -> None:
        coupon = make_coupon(kind="fixed", value=100)
        self.add_to_basket(self.junior)
        self.add_to_basket(self.strap, 2)
        self.apply(coupon.code)
        self.enter_details()
        self.pay()
        order = Order.objects.get()
        self.assertEqual(order.total, Decimal("6197.00"))
        strap = order.lines.get(product=self.strap)
        self.assertEqual(do_refund_lines(order, [strap.pk]), Decimal("785.33"))  # 798 - 12.67
        with self.assertRaisesMessage(Exception, "refunded already"):
            do_refund_lines(order, [strap.pk])
        do_cancel(order)
        do_refund(order)
        refunds = [amount for kind, _ref, amount in self.gateway.calls if kind == "refund"]
        self.assertEqual(refunds, [Decimal("785.33"), Decimal("5411.67")])
        self.assertEqual(sum(refunds), order.total)
        self.assertEqual(Payment.objects.get().refunded, order.total)

    def _order_fields(self, owner: Any, status: str) -> dict[str, Any]:
        return {
            "number": f"CW-{Order.objects.count():08d}",
            "owner": owner,
            "checkout_key": f"key-{Order.objects.count()}",
            "status": status,
            "name": "Priya",
            "email": "priya@example.org" if owner is None else owner.email,
            "phone": "9876543210",
            "address_line1": "12 Anna Salai",
            "city": "Chennai",
            "state": "Tamil Nadu",
            "pincode": "600002",
            "delivery_date": timezone.localdate(),
            "delivery_slot": "09-12",
            "subtotal": 1,
            "shipping": 0,
            "tax": 0,
            "total": 1,
        }


class TotalLimitUnderConcurrencyTests(TransactionTestCase):
    """The last uses of a coupon go to exactly as many orders as the limit allows, however
    many pay at the same instant (PostgreSQL really races here; SQLite serialises)."""

    def test_the_total_limit_holds_when_many_pay_at_once(self) -> None:
        load_catalogue()
        strap = Product.objects.get(slug="soft-strap")
        coupon = make_coupon(total_limit=2, per_customer_limit=None)
        buyers = [make_user(f"buyer{n}@example.org") for n in range(6)]
        outcomes: list[str] = []
        barrier = threading.Barrier(len(buyers))

        def attempt(n: int) -> None:
            barrier.wait()
            try:
                outcomes.append(redeem_through_locks(n))
            finally:
                connection.close()

        def redeem_through_locks(n: int) -> str:
            line = BasketLine(product=strap, price=strap.price, quantity=1)
            for _try in range(500):
                try:
                    with transaction.atomic():
                        order = Order.objects.create(**order_fields(buyers[n], n))
                        coupons.redeem(order, coupon.code, [line], buyers[n], timezone.now())
                    return "redeemed"
                except coupons.CouponRefused:
                    return "refused"
                except OperationalError as error:
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.01)
            return "gave up"

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(len(buyers))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["redeemed"] * 2 + ["refused"] * 4)
        self.assertEqual(Coupon.objects.get().uses, 2)
        self.assertEqual(OrderDiscount.objects.count(), 2)
        self.assertEqual(Order.objects.count(), 2)


def order_fields(owner: Any, n: int) -> dict[str, Any]:
    return {
        "number": f"CW-RACE{n:04d}",
        "owner": owner,
        "checkout_key": f"race-{n}",
        "status": Status.PLACED,
        "name": "Racer",
        "email": owner.email,
        "phone": "9876543210",
        "address_line1": "1 Main Road",
        "city": "Chennai",
        "state": "Tamil Nadu",
        "pincode": "600002",
        "delivery_date": timezone.localdate(),
        "delivery_slot": "09-12",
        "subtotal": 399,
        "shipping": 99,
        "tax": 0,
        "total": 498,
    }


class RefundReturnedItemsTests(StoreTestCase):
    """Staff give back returned items from the dispatch page, prorated; nobody else can."""

    def setUp(self) -> None:
        super().setUp()
        coupon = make_coupon(kind="fixed", value=100)
        self.add_to_basket(self.junior)
        self.add_to_basket(self.strap, 2)
        self.client.post("/kids/shop/basket/coupon/", {"code": coupon.code})
        self.enter_details()
        self.pay()
        self.order = Order.objects.get()
        self.strap_line = self.order.lines.get(product=self.strap)
        self.url = f"/kids/shop/staff/dispatch/{self.order.number}/refund-lines/"
        self.staff = make_user("staff@example.org")
        type(self.staff).objects.filter(pk=self.staff.pk).update(is_staff=True)
        self.staff.refresh_from_db()
        with_authenticator(self.staff)

    def test_staff_refund_a_returned_strap_less_its_share_of_the_discount(self) -> None:
        self.login(self.staff)
        page = self.client.get(f"/kids/shop/staff/dispatch/{self.order.number}/")
        self.assertContains(page, "gives back ₹785.33")
        response = self.client.post(
            self.url, {"line": [self.strap_line.pk], "confirm": "yes"}, follow=True
        )
        self.assertContains(response, "₹785.33 went back to the card.")
        self.assertEqual(Payment.objects.get().refunded, Decimal("785.33"))
        self.assertContains(response, "Refunded ₹785.33 for 2 x Soft silicone strap.")
        again = self.client.post(self.url, {"line": [self.strap_line.pk], "confirm": "yes"})
        self.assertEqual(again.status_code, 302)
        self.assertEqual(Payment.objects.get().refunded, Decimal("785.33"))

    def test_nothing_is_refunded_without_the_confirmation_or_for_another_orders_line(
        self,
    ) -> None:
        self.login(self.staff)
        self.client.post(self.url, {"line": [self.strap_line.pk]})
        self.client.post(self.url, {"line": ["999999", "x"], "confirm": "yes"})
        self.assertEqual(Payment.objects.get().refunded, 0)

    def test_customers_and_outsiders_cannot_refund(self) -> None:
        for user in (self.alice, self.charlie, None):
            self.client.logout()
            if user is not None:
                self.login(user)
            self.client.post(self.url, {"line": [self.strap_line.pk], "confirm": "yes"})
        self.assertEqual(Payment.objects.get().refunded, 0)
        self.assertFalse(OrderLine.objects.filter(refunded=True).exists())
