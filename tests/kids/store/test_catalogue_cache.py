"""Catalogue pages from the cache: fast for anonymous visitors, never stale where it matters."""

from __future__ import annotations

import re
import time

from django.db import connection
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carewatch.kids.store.catalogue import pagecache
from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.reviews.models import Question
from tests.kids.store.base import StoreTestCase

LIST, SWIM = "/kids/shop/", "/kids/shop/products/carewatch-swim-4g/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
ANY_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")


class CatalogueCacheTests(StoreTestCase):
    def test_the_second_visitor_gets_the_stored_list_without_a_query(self) -> None:
        first = Client().get(LIST)
        with CaptureQueriesContext(connection) as queries:
            second = Client().get(LIST)
        self.assertEqual(second.templates, [])  # nothing rendered: it came from the cache
        self.assertEqual(len(queries), 0)
        self.assertEqual(second.content.count(b"product-card"), 11)
        self.assertEqual(
            ANY_TOKEN.sub("", first.content.decode()), ANY_TOKEN.sub("", second.content.decode())
        )

    def test_each_visitor_gets_their_own_csrf_token_and_can_post_with_it(self) -> None:
        Client().get(SWIM)
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(SWIM)
        self.assertEqual(page.templates, [])
        tokens = set(TOKEN.findall(page.content.decode()))
        self.assertEqual({pagecache.unmask(t) for t in tokens}, {page.cookies["csrftoken"].value})
        response = visitor.post(
            "/kids/shop/basket/add/carewatch-swim-4g/",
            {"quantity": 1, "csrfmiddlewaretoken": tokens.pop()},
        )
        self.assertRedirects(response, "/kids/shop/basket/", fetch_redirect_response=False)

    def test_a_staff_edit_shows_on_the_product_page_at_once(self) -> None:
        self.assertContains(Client().get(SWIM), "Add to basket")
        self.swim.stock, self.swim.price = 0, 7199
        self.swim.save()
        page = Client().get(SWIM)
        self.assertContains(page, "Out of stock")
        self.assertContains(page, "₹7,199.00")
        self.assertNotContains(page, "Add to basket")

    def test_a_staff_edit_shows_on_the_list_at_once(self) -> None:
        self.assertContains(Client().get(LIST), "₹6,999.00")
        self.swim.price, self.swim.name = 6499, "CareWatch Swim 4G Plus"
        self.swim.save()
        page = Client().get(LIST)
        self.assertContains(page, "₹6,499.00")
        self.assertContains(page, "CareWatch Swim 4G Plus")

    def test_a_checkout_stock_update_shows_on_both_pages_within_two_seconds(self) -> None:
        self.assertNotContains(Client().get(LIST), "Out of stock")
        self.assertContains(Client().get(SWIM), "Add to basket")
        Product.objects.filter(slug="carewatch-swim-4g").update(stock=0)  # no signal
        time.sleep(pagecache.FRESH_S + 0.1)
        self.assertContains(Client().get(LIST), "Out of stock")
        self.assertContains(Client().get(SWIM), "Out of stock")

    def test_a_new_answer_shows_under_the_product_at_once(self) -> None:
        Client().get(SWIM)
        Question.objects.create(
            product=self.swim,
            email="a@example.org",
            text="Does it work in the sea?",
            answer="Yes, rinse it afterwards.",
            answered_at=timezone.now(),
        )
        self.assertContains(Client().get(SWIM), "Does it work in the sea?")

    def test_each_language_has_its_own_page(self) -> None:
        self.assertContains(Client().get(LIST), '<html lang="en"')
        hindi = Client(headers={"accept-language": "hi"}).get(LIST)
        self.assertContains(hindi, '<html lang="hi"')

    def test_a_signed_in_visitor_sees_a_queryset_stock_update_at_once(self) -> None:
        self.login(self.alice)
        self.assertNotContains(self.client.get(LIST), "Out of stock")
        self.assertContains(self.client.get(SWIM), "Add to basket")
        Product.objects.filter(slug="carewatch-swim-4g").update(stock=0, price=7199)
        self.assertContains(self.client.get(LIST), "Out of stock")
        page = self.client.get(SWIM)
        self.assertContains(page, "Out of stock")
        self.assertContains(page, "₹7,199.00")

    def test_a_signed_in_visitor_never_gets_the_anonymous_page(self) -> None:
        Client().get(LIST)
        self.login(self.alice)
        page = self.client.get(LIST)
        self.assertContains(page, "Log out")
        self.assertNotContains(page, "Sign up")


def test_it_cuts_out_only_the_tokens_of_the_pages_secret() -> None:
    secret, other = _get_new_csrf_string(), _get_new_csrf_string()
    mine, theirs = _mask_cipher_secret(secret), _mask_cipher_secret(other)
    html = f'<input value="{mine}"><i data-x="{theirs}"></i>{_mask_cipher_secret(secret)}'
    self_cut = pagecache.cut_tokens(html, secret)
    assert self_cut == f'<input value="{pagecache.TOKEN_HOLE}"><i data-x="{theirs}"></i>' + (
        pagecache.TOKEN_HOLE
    )
