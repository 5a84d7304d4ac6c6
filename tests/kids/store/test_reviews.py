"""Reviews: written from the signed link in the review e-mail, one per order line,
moderated when they carry links or phone numbers, summarised on the product page."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from decimal import Decimal
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

from django.db import connection
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.orders.actions import do_set_status, do_ship
from carewatch.kids.store.orders.models import Order, OrderEvent, OrderLine, Status
from carewatch.kids.store.orders.tasks import send_review_requests
from carewatch.kids.store.reviews.models import Review, ReviewStatus
from carewatch.kids.store.reviews.moderation import hold_reasons
from carewatch.kids.store.reviews.summary import with_ratings
from carewatch.kids.store.reviews.tokens import make_token, review_url
from tests.base import with_authenticator
from tests.kids.store.base import StoreTestCase
from tests.mailbox import smtp_server

GOOD = {"rating": "5", "title": "Peace of mind", "text": "The battery lasts two days."}


def delivered_order(*products: Product, name: str = "Priya Sharma", status: str = "") -> Order:
    """An order as the pipeline leaves it after delivery, without going through checkout."""
    order = Order.objects.create(
        number=uuid.uuid4().hex[:10].upper(),
        checkout_key=uuid.uuid4().hex,
        status=status or Status.DELIVERED,
        name=name,
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


class ReviewTests(StoreTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.order = delivered_order(self.junior, self.strap)
        self.line = self.order.lines.get(product=self.junior)

    def review(self, line: OrderLine | None = None, **changes: str) -> Any:
        return self.client.post(review_url(line or self.line), {**GOOD, **changes})

    def product_page(self, product: Product | None = None) -> Any:
        return self.client.get((product or self.junior).get_absolute_url())

    def test_it_links_each_model_of_a_delivered_order_to_its_review_form_in_the_e_mail(
        self,
    ) -> None:
        self.add_to_basket(self.junior, 2)  # two watches: two lines, one model
        self.add_to_basket(self.strap)
        self.enter_details()
        self.pay()
        order = Order.objects.exclude(pk=self.order.pk).get()
        do_set_status(order, "packed")
        do_ship(order, "BlueDart", "BD1")
        do_set_status(order, "delivered")
        delivered_at = OrderEvent.objects.get(order=order, status="delivered").created
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            send_review_requests(delivered_at + dt.timedelta(days=7))
        links = re.findall(r"http://\S+/review/\S+/", mailbox.texts()[0])
        self.assertEqual(len(links), 2)
        self.assertIn("/kids/shop/products/carewatch-junior-4g/review/", links[0])
        self.assertIn("/kids/shop/products/soft-strap/review/", links[1])
        self.client.logout()  # a guest: the link alone is enough
        path = urlsplit(links[0]).path
        self.assertContains(self.client.get(path), "Verified purchase")
        self.assertRedirects(
            self.client.post(path, GOOD),
            "/kids/shop/products/carewatch-junior-4g/#reviews",
            fetch_redirect_response=False,
        )
        review = Review.objects.get()
        self.assertEqual(review.line, order.lines.filter(product=self.junior).first())

    def test_a_plain_review_is_published_at_once_with_the_verified_purchase_mark(self) -> None:
        response = self.review(age_group="6-8")
        self.assertEqual(response.status_code, 302)
        page = self.product_page()
        self.assertContains(page, "Peace of mind")
        self.assertContains(page, "Verified purchase")
        self.assertContains(page, "Priya S.")
        self.assertContains(page, "Child aged 6 to 8 years")
        self.assertNotContains(page, "Sharma")
        self.assertContains(page, "5.0 out of 5 from 1 review")
        self.assertNotContains(page, "Most helpful")  # nobody has voted yet

    def test_a_review_with_a_link_or_a_phone_number_waits_for_staff(self) -> None:
        self.review(text="Cheaper at www.example.shop, call me on +91 98765 43210")
        review = Review.objects.get()
        self.assertEqual((review.status, review.held_because), ("held", "link, phone"))
        self.assertNotContains(self.product_page(), "Peace of mind")
        staff = type(self.alice).objects.create_user(
            "mod@example.org", "pw-mod-1234", is_staff=True
        )
        staff.is_superuser = True
        staff.save()
        self.login(with_authenticator(staff))
        self.client.post(
            "/admin/reviews/review/",
            {"action": "publish", "_selected_action": [review.pk]},
        )
        self.assertEqual(Review.objects.get().status, ReviewStatus.PUBLISHED)
        self.assertContains(self.product_page(), "Peace of mind")

    def test_it_accepts_one_review_per_order_line(self) -> None:
        self.review()
        second = self.review(title="Again")
        self.assertEqual(second.status_code, 409)
        self.assertContains(second, "You have already reviewed this", status_code=409)
        self.assertEqual(Review.objects.count(), 1)
        strap_line = self.order.lines.get(product=self.strap)
        self.review(strap_line)
        self.assertEqual(Review.objects.count(), 2)

    def test_a_missing_tampered_or_foreign_token_gets_404(self) -> None:
        token = make_token(self.line)
        base = "/kids/shop/products/carewatch-junior-4g/review"
        tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        for path in [f"{base}/nonsense/", f"{base}/{tampered}/"]:
            response = self.client.post(path, GOOD)
            self.assertContains(response, "This review link is not valid", status_code=404)
        other_line = self.order.lines.get(product=self.strap)
        foreign = f"{base}/{make_token(other_line)}/"  # the strap's token on the watch
        self.assertEqual(self.client.post(foreign, GOOD).status_code, 404)
        self.assertFalse(Review.objects.exists())

    def test_a_link_older_than_six_months_has_expired(self) -> None:
        long_ago = time.time() - 181 * 24 * 3600
        with mock.patch("time.time", return_value=long_ago):  # the clock, not our code
            path = review_url(self.line)
        response = self.client.post(path, GOOD)
        self.assertContains(response, "expired", status_code=404)
        self.assertFalse(Review.objects.exists())

    def test_an_order_not_yet_delivered_cannot_be_reviewed(self) -> None:
        order = delivered_order(self.junior, status=Status.SHIPPED)
        response = self.review(order.lines.get())
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Review.objects.exists())

    def test_a_rating_outside_one_to_five_is_refused_and_the_text_kept(self) -> None:
        for rating in ["0", "6", "five", ""]:
            response = self.review(rating=rating)
            self.assertContains(response, "Choose a rating from 1 to 5 stars.", status_code=400)
            self.assertContains(response, "The battery lasts two days.", status_code=400)
        self.assertFalse(Review.objects.exists())

    def test_an_overlong_review_is_refused_with_its_length_and_kept(self) -> None:
        text = "Lovely watch. " * 200
        response = self.review(text=text)
        self.assertContains(response, "under 2000 characters (it has 2799 now)", status_code=400)
        self.assertContains(response, "Lovely watch. Lovely watch.", status_code=400)
        self.assertFalse(Review.objects.exists())

    def test_html_and_script_in_a_review_are_shown_as_text(self) -> None:
        self.review(title="<b>Bold</b>", text='<script>alert("x")</script> Great battery')
        page = self.product_page()
        self.assertNotContains(page, '<script>alert("x")</script>')
        self.assertContains(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
        self.assertContains(page, "&lt;b&gt;Bold&lt;/b&gt;")

    def test_the_product_page_shows_average_distribution_and_highlights(self) -> None:
        texts = [
            ("5", "The battery lasts two days and GPS is accurate."),
            ("4", "Battery is great but the strap is itchy."),
            ("2", "The battery is weak."),
        ]
        for rating, text in texts:
            order = delivered_order(self.junior)
            self.review(order.lines.get(), rating=rating, text=text)
        page = self.product_page()
        self.assertContains(page, "3.7 out of 5 from 3 reviews")
        self.assertEqual(
            [(s, n) for s, n, _ in page.context["summary"].distribution],
            [(5, 1), (4, 1), (3, 0), (2, 1), (1, 0)],
        )
        self.assertContains(page, "<strong>Battery:</strong> 2 of 3 mention it positively")
        self.assertContains(page, "Comfort and strap:")
        self.review(delivered_order(self.junior).lines.get(), text="Battery died in a day.")
        page = self.product_page()  # a new review: the cached highlights are read again
        self.assertContains(page, "<strong>Battery:</strong> 2 of 4 mention it positively")

    def test_a_helpful_vote_counts_once_per_person_and_orders_most_helpful(self) -> None:
        for n in range(5):
            order = delivered_order(self.junior)
            self.review(order.lines.get(), title=f"Review {n}")
        oldest = Review.objects.get(title="Review 0")
        url = f"/kids/shop/reviews/{oldest.pk}/helpful/"
        self.client.post(url)
        self.client.post(url)
        self.login(self.alice)
        self.client.post(url)
        self.assertEqual(Review.objects.get(pk=oldest.pk).helpful_count, 2)
        page = self.product_page()
        self.assertEqual(page.context["summary"].helpful[0], oldest)
        self.assertNotIn(oldest, page.context["summary"].newest)
        self.assertContains(page, "Most helpful")
        self.assertContains(page, "Show all 5 reviews")

    def test_a_held_review_cannot_be_voted_on(self) -> None:
        self.review(text="see http://spam.example")
        held = Review.objects.get()
        response = self.client.post(f"/kids/shop/reviews/{held.pk}/helpful/")
        self.assertEqual(response.status_code, 404)

    def test_all_reviews_page_shows_more_ten_at_a_time(self) -> None:
        for n in range(12):
            self.review(delivered_order(self.junior).lines.get(), title=f"Review {n}")
        first = self.client.get("/kids/shop/products/carewatch-junior-4g/reviews/")
        self.assertContains(first, "Review 11")
        self.assertNotContains(first, "Review 1<")
        self.assertContains(first, "Show more")
        second = self.client.get("/kids/shop/products/carewatch-junior-4g/reviews/?page=2")
        self.assertContains(second, "Review 0")
        self.assertEqual(self.client.get("/kids/shop/products/nope/reviews/").status_code, 404)

    def test_the_section_costs_a_fixed_number_of_queries_however_many_reviews(self) -> None:
        template = Template("{% load reviews %}{% product_reviews product %}")
        for n in range(4):
            self.review(delivered_order(self.junior).lines.get(), title=f"Review {n}")
        with self.assertNumQueries(5):
            template.render(Context({"product": self.junior}))
        with self.assertNumQueries(0):  # the section is stored until the next review or vote
            template.render(Context({"product": self.junior}))
        with CaptureQueriesContext(connection) as few:
            self.product_page()
        few_count = len(few)  # counted now: the next request clears the log
        for n in range(30):
            self.review(delivered_order(self.junior).lines.get(), title=f"More {n}")
        with self.assertNumQueries(5):
            template.render(Context({"product": self.junior}))
        with CaptureQueriesContext(connection) as many:
            self.product_page()
        self.assertEqual(len(many), few_count)

    def test_the_list_annotation_adds_ratings_in_the_same_query(self) -> None:
        self.review(rating="4")
        self.review(delivered_order(self.junior).lines.get(), rating="5")
        with self.assertNumQueries(1):
            products = {p.slug: p for p in with_ratings(Product.objects.listed())}
        junior, swim = products["carewatch-junior-4g"], products["carewatch-swim-4g"]
        self.assertEqual((junior.review_count, junior.average_rating), (2, 4.5))
        self.assertEqual((swim.review_count, swim.average_rating), (0, None))
        with self.assertNumQueries(0):
            self.assertIn(
                "★ 4.5 · 2 reviews", render_to_string("catalogue/_card.html", {"product": junior})
            )
            self.assertNotIn("★", render_to_string("catalogue/_card.html", {"product": swim}))
            self.assertNotIn(
                "★", render_to_string("catalogue/_card.html", {"product": self.junior})
            )


def test_it_holds_links_e_mail_addresses_and_phone_numbers_but_not_specifications() -> None:
    assert hold_reasons("Buy it at https://cheap.example") == ["link"]
    assert hold_reasons("see www.deals.in") == ["link"]
    assert hold_reasons("write to me: priya.s@gmail.com") == ["link", "email"]
    assert hold_reasons("Call 98765 43210 for a discount") == ["phone"]
    assert hold_reasons("+91-98765-43210") == ["phone"]
    assert hold_reasons("48 hours battery, IP68, 4G, bought on 12-10-2026. 5 stars.") == []


class KidsNavigationTests(StoreTestCase):
    def test_the_kids_about_page_and_the_family_dashboard_link_to_the_shop(self) -> None:
        self.assertContains(self.client.get("/kids/"), 'href="/kids/shop/"')
        self.login(self.alice)
        self.assertContains(self.client.get("/kids/tracker/"), 'href="/kids/shop/"')
