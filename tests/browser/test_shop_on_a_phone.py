"""The shop on a 390 px phone: the basket link is on the screen, the comparison's
further columns scroll sideways under a visible hint, and the filter form fits."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser
WIDTH = 390  # the browser_page viewport
COMPARED = "p=carewatch-junior-4g&p=carewatch-swim-4g&p=carewatch-teen"


@pytest.fixture
def shop(site: str) -> str:
    from carewatch.kids.store.catalogue.loader import load_catalogue

    load_catalogue()
    return site


def right_edge(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not displayed"
    return float(box["x"] + box["width"])


def test_the_basket_link_is_on_the_screen(browser_page: Any, shop: str) -> None:
    page = browser_page
    page.goto(f"{shop}/kids/shop/")
    basket = page.locator(".shop-nav a[href='/kids/shop/basket/']")
    assert basket.is_visible()
    assert right_edge(page, ".shop-nav a[href='/kids/shop/basket/']") <= WIDTH
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_the_filter_form_is_not_clipped(browser_page: Any, shop: str) -> None:
    page = browser_page
    page.goto(f"{shop}/kids/shop/")
    form = page.locator(".filters").bounding_box()
    assert form is not None
    left, right = form["x"], min(form["x"] + form["width"], WIDTH)
    fields = page.locator(".filters input, .filters select, .filters button, .filters label")
    assert fields.count() >= 3
    for n in range(fields.count()):
        box = fields.nth(n).bounding_box()
        assert box is not None, n
        assert left <= box["x"] and box["x"] + box["width"] <= right, (n, box, form)


def test_the_comparisons_third_column_scrolls_with_a_visible_hint(
    browser_page: Any, shop: str
) -> None:
    page = browser_page
    page.goto(f"{shop}/kids/shop/compare/?{COMPARED}")
    hint = page.locator(".scroll-hint")
    assert hint.is_visible(), "no hint that the table scrolls sideways"
    scroller = page.locator(".compare-scroll")
    sizes = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert sizes[0] > sizes[1], sizes
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    third = page.locator("table.compare thead th").nth(3)
    scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    box = third.bounding_box()
    assert box is not None and box["x"] + box["width"] <= WIDTH + 1, box
    # The row names stay in view while the columns move.
    first = page.locator("table.compare tbody th").first.bounding_box()
    assert first is not None and first["x"] >= 0, first
