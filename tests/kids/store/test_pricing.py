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


def test_a_tip_is_added_after_gst_and_only_amounts_on_offer_count() -> None:
    with_tip = totals_for([(Decimal("5499"), 1)], Decimal("50"))
    assert (with_tip.tip, with_tip.total) == (Decimal("50"), Decimal("5549"))
    assert with_tip.tax == totals_for([(Decimal("5499"), 1)]).tax
    assert totals_for([(Decimal("5499"), 1)], Decimal("7")).tip == 0
