"""Dates and money in the reader's locale, the same way on every page: "7 Dec 2026",
never "Dec. 7, 2026" beside it; "₹5,499.00" and Indian grouping "₹1,23,456.50"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.template import Context, Template
from django.utils import formats, translation

from tests.kids.store.base import StoreTestCase


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_english_dates_are_day_month_year_everywhere() -> None:
    day = dt.date(2026, 12, 7)
    with translation.override("en"):
        assert formats.date_format(day) == "7 Dec 2026"
        assert render("{{ day }}", day=day) == "7 Dec 2026"
        when = dt.datetime(2026, 12, 7, 15, 5)
        assert formats.date_format(when, "DATETIME_FORMAT") == "7 Dec 2026, 15:05"


def test_money_has_separators_in_the_indian_grouping() -> None:
    for language in ("en", "hi", "ta"):
        with translation.override(language):
            assert render("₹{{ x|money }}", x=Decimal("5499")) == "₹5,499.00"
            assert render("₹{{ x|money }}", x=Decimal("123456.5")) == "₹1,23,456.50"
            assert render("₹{{ x|money:0 }}", x=1500) == "₹1,500"
    assert render("{{ x|money }}", x="not a number") == "not a number"
    assert render("{{ x|money }}", x=None) == ""


class ShopMoneyTests(StoreTestCase):
    def test_the_shop_shows_prices_with_a_separator(self) -> None:
        self.assertContains(self.client.get("/kids/shop/"), "₹5,499.00")
        self.add_to_basket(self.junior, 2)
        self.assertContains(self.client.get("/kids/shop/basket/"), "₹10,998.00")
