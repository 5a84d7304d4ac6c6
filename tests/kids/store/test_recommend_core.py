"""The recommender's pure core: similarity, co-occurrence, fit rules, the blend, metrics."""

from __future__ import annotations

import math

import pytest

from carewatch.kids.store.recommend.core.baselines import ItemToItem, popular_ranking
from carewatch.kids.store.recommend.core.items import (
    ACCESSORY,
    TRACKER,
    Item,
    fits_any,
    fitting,
    similarity,
    spec_features,
)
from carewatch.kids.store.recommend.core.metrics import (
    evaluate,
    ndcg_at_k,
    precision_at_k,
    recall_at_k,
)
from carewatch.kids.store.recommend.core.model import (
    FITS,
    ORDER,
    POPULAR,
    SECOND_WATCH,
    VIEW,
    Event,
    Household,
    recommend_for,
    train,
)
from carewatch.kids.store.recommend.core.related import (
    BOUGHT_TOGETHER,
    SIMILAR,
    Related,
    co_occurrence,
    related_for,
    related_for_basket,
)


def tracker(slug: str, price: float, *, lte: bool, ages: tuple[int, int] = (4, 10)) -> Item:
    features = spec_features(
        gps=True,
        wifi=True,
        lte=lte,
        battery_hours=48,
        water_rating="IP67" if lte else "IP54",
        sos_button=True,
        calling=lte,
        school_mode=True,
        min_age=ages[0],
        max_age=ages[1],
    )
    return Item(slug, slug.title(), TRACKER, price, features, min_age=ages[0], max_age=ages[1])


def accessory(slug: str, price: float, fits: set[str], available: bool = True) -> Item:
    return Item(slug, slug.title(), ACCESSORY, price, fits=frozenset(fits), available=available)


JUNIOR = tracker("junior", 2999, lte=False, ages=(4, 8))
JUNIOR_4G = tracker("junior-4g", 5499, lte=True, ages=(5, 10))
TEEN = tracker("teen", 8499, lte=True, ages=(10, 16))
STRAP = accessory("round-strap", 399, {"junior", "junior-4g"})
SIM = accessory("sim", 1999, {"junior-4g", "teen"})
TEEN_STRAP = accessory("teen-strap", 599, {"teen"})
POWER_BANK = accessory("power-bank", 999, set())
CATALOGUE = {i.slug: i for i in (JUNIOR, JUNIOR_4G, TEEN, STRAP, SIM, TEEN_STRAP, POWER_BANK)}


def test_it_finds_trackers_with_close_specs_more_similar_than_distant_ones() -> None:
    assert similarity(JUNIOR_4G, TEEN) > similarity(JUNIOR, TEEN)
    assert 0 < similarity(JUNIOR, JUNIOR_4G) <= 1


def test_it_never_calls_a_tracker_and_an_accessory_similar() -> None:
    assert similarity(JUNIOR, STRAP) == 0
    assert similarity(JUNIOR, JUNIOR) == 0


def test_it_compares_accessories_by_what_they_fit() -> None:
    assert similarity(STRAP, SIM) > similarity(STRAP, TEEN_STRAP)


def test_an_accessory_fits_the_trackers_it_names_and_one_naming_none_fits_all() -> None:
    assert fits_any(STRAP, {"junior"}) and not fits_any(STRAP, {"teen"})
    assert fits_any(POWER_BANK, {"teen"})
    assert not fits_any(JUNIOR, {"junior"})
    assert fitting(SIM, ["junior", "teen"]) == "teen"
    assert fitting(JUNIOR, ["junior"]) is None


def test_co_occurrence_needs_two_orders_and_is_symmetric() -> None:
    orders = [["junior", "round-strap"], ["junior", "round-strap"], ["teen", "sim"]]
    table = co_occurrence(orders)
    assert table["junior"]["round-strap"] == table["round-strap"]["junior"] == 1.0
    assert "sim" not in table.get("teen", {})


def test_co_occurrence_counts_a_product_once_per_order() -> None:
    table = co_occurrence([["junior", "junior", "round-strap"]] * 2)
    assert table["junior"]["round-strap"] == 1.0


def test_related_puts_fitting_accessories_first_then_bought_together_then_similar() -> None:
    together = co_occurrence([["junior-4g", "power-bank"]] * 3 + [["junior-4g", "sim"]] * 2)
    related = related_for(JUNIOR_4G, CATALOGUE, together)
    reasons = [r.reason for r in related]
    assert [r.slug for r in related[:2]] == ["sim", "round-strap"]  # bought-with first
    assert reasons[:2] == [FITS, FITS]
    assert related[2] == Related("power-bank", related[2].score, BOUGHT_TOGETHER)
    assert SIMILAR in reasons and "junior-4g" not in [r.slug for r in related]


def test_related_leaves_out_what_cannot_be_bought() -> None:
    catalogue = CATALOGUE | {"sim": accessory("sim", 1999, {"junior-4g"}, available=False)}
    assert "sim" not in [r.slug for r in related_for(JUNIOR_4G, catalogue, {})]


def test_the_basket_gets_fitting_accessories_first_and_nothing_already_in_it() -> None:
    rows = {
        "junior-4g": [Related("sim", 2.0, FITS), Related("teen", 0.9, SIMILAR)],
        "round-strap": [Related("teen-strap", 1.5, BOUGHT_TOGETHER), Related("sim", 1.2, FITS)],
    }
    picks = related_for_basket(["junior-4g", "round-strap", "teen-strap"], rows)
    assert [p.slug for p in picks] == ["sim", "teen"]


def events(*rows: tuple[int, str, str]) -> list[Event]:
    return [Event(user, slug, kind) for user, slug, kind in rows]


HISTORY = events(
    *[(u, "junior-4g", ORDER) for u in range(1, 9)],
    *[(u, "sim", ORDER) for u in range(1, 7)],
    *[(u, "teen", ORDER) for u in range(9, 12)],
    *[(u, "teen-strap", ORDER) for u in range(9, 11)],
    (1, "round-strap", VIEW),
)


def test_recommendations_offer_accessories_that_fit_the_familys_watch_with_its_name() -> None:
    model = train(HISTORY, sorted(CATALOGUE))
    home = Household(frozenset({"junior-4g"}), ("junior-4g",))
    picks = recommend_for(model, 7, home, CATALOGUE)
    assert picks[0].reason == FITS and picks[0].about == "junior-4g"
    slugs = [p.slug for p in picks]
    assert "teen-strap" not in slugs  # fits no watch they have
    assert "junior-4g" not in slugs  # owned, and every child has a watch


def test_recommendations_leave_out_what_the_family_owns_or_has_in_the_basket() -> None:
    model = train(HISTORY, sorted(CATALOGUE))
    home = Household(
        frozenset({"junior-4g", "sim"}), ("junior-4g",), basket=frozenset({"round-strap"})
    )
    slugs = [p.slug for p in recommend_for(model, 1, home, CATALOGUE)]
    assert not {"sim", "round-strap", "junior-4g"} & set(slugs)


def test_a_child_without_a_watch_gets_a_second_watch_for_their_age() -> None:
    model = train(HISTORY, sorted(CATALOGUE))
    home = Household(frozenset({"junior-4g"}), ("junior-4g",), unequipped_ages=(12,))
    picks = recommend_for(model, 7, home, CATALOGUE)
    second = [p for p in picks if p.reason == SECOND_WATCH]
    assert [p.slug for p in second] == ["teen"] and second[0].about == "12"


def test_a_sibling_of_the_same_age_may_get_the_same_model_again() -> None:
    model = train(HISTORY, sorted(CATALOGUE))
    home = Household(frozenset({"junior-4g"}), ("junior-4g",), unequipped_ages=(6,))
    assert "junior-4g" in [p.slug for p in recommend_for(model, 7, home, CATALOGUE)]


def test_a_new_visitor_gets_popular_trackers_first() -> None:
    model = train(HISTORY, sorted(CATALOGUE))
    picks = recommend_for(model, None, Household(), CATALOGUE)
    assert picks[0].slug == "junior-4g" and picks[0].reason == POPULAR


def test_unavailable_products_are_never_recommended() -> None:
    model = train(HISTORY, sorted(CATALOGUE))
    catalogue = CATALOGUE | {"sim": accessory("sim", 1999, {"junior-4g"}, available=False)}
    home = Household(frozenset({"junior-4g"}), ("junior-4g",))
    assert "sim" not in [p.slug for p in recommend_for(model, 7, home, catalogue)]


def test_training_is_reproducible() -> None:
    first = train(HISTORY, sorted(CATALOGUE)).scores(1)
    second = train(HISTORY, sorted(CATALOGUE)).scores(1)
    assert first == second and max(first.values()) == 1.0


def test_a_user_the_model_never_met_has_no_model_scores() -> None:
    assert train(HISTORY, sorted(CATALOGUE)).scores(999) == {}
    assert train([], sorted(CATALOGUE)).scores(1) == {}


def test_the_baselines_rank_every_product() -> None:
    assert popular_ranking(HISTORY, sorted(CATALOGUE))[0] == "junior-4g"
    ranking = ItemToItem(HISTORY, sorted(CATALOGUE)).ranking(7)
    assert ranking[0] == "sim" and len(ranking) == len(CATALOGUE)
    assert ItemToItem(HISTORY, sorted(CATALOGUE)).ranking(999) == []


def test_precision_recall_and_ndcg_on_a_known_ranking() -> None:
    ranked, relevant = ["a", "b", "c", "d", "e"], {"b", "e", "z"}
    assert precision_at_k(ranked, relevant, 3) == pytest.approx(1 / 3)
    assert recall_at_k(ranked, relevant, 5) == pytest.approx(2 / 3)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(ranked, relevant, 5) == pytest.approx(
        (1 / math.log2(3) + 1 / math.log2(6)) / ideal
    )
    assert ndcg_at_k(["b", "e", "z"], relevant, 3) == pytest.approx(1.0)
    assert recall_at_k(ranked, set(), 3) == 0.0


def test_evaluate_averages_over_users_and_counts_a_missing_ranking_as_zero() -> None:
    result = evaluate({1: ["a"], 2: []}, {1: {"a"}, 2: {"b"}, 3: set()}, ks=(1,))
    assert result == {"precision@1": 0.5, "recall@1": 0.5, "ndcg@1": 0.5}
