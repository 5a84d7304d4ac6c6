"""Order totals are plain Python on Decimals."""

from decimal import Decimal

from carewatch.kids.store.checkout.pricing import totals_for


def test_it_charges_shipping_below_the_free_shipping_threshold() -> None:
    totals = totals_for([(Decimal("399"), 2)])
    assert totals.subtotal == Decimal("798")
    assert totals.shipping == Decimal("99")
    assert totals.total == Decimal("897")


def test_it_ships_free_from_two_thousand_rupees_and_shows_the_gst_included() -> None:
    totals = totals_for([(Decimal("5499"), 1), (Decimal("399"), 1)])
    assert totals.shipping == 0
    assert totals.total == Decimal("5898")
    assert totals.tax == Decimal("899.69")


def test_it_charges_nothing_for_an_empty_basket() -> None:
    assert totals_for([]).total == 0
