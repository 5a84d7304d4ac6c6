"""The guide's scoring is plain Python: tested without the database."""

from decimal import Decimal

from carewatch.kids.store.catalogue.scoring import Need, Spec, recommend, score

JUNIOR = Spec(
    "junior",
    "Junior",
    Decimal("2999"),
    wifi=True,
    battery_hours=48,
    water_rating="IP54",
    sos_button=True,
    school_mode=True,
    min_age=4,
    max_age=8,
)
JUNIOR_4G = Spec(
    "junior-4g",
    "Junior 4G",
    Decimal("5499"),
    lte=True,
    battery_hours=36,
    water_rating="IP67",
    sos_button=True,
    calling=True,
    school_mode=True,
    min_age=5,
    max_age=10,
)
SWIM = Spec(
    "swim",
    "Swim",
    Decimal("6999"),
    lte=True,
    battery_hours=48,
    water_rating="IP68",
    sos_button=True,
    calling=True,
    school_mode=True,
    min_age=6,
    max_age=12,
)
TEEN = Spec(
    "teen",
    "Teen",
    Decimal("8499"),
    lte=True,
    battery_hours=72,
    water_rating="IP68",
    sos_button=True,
    calling=True,
    school_mode=True,
    min_age=10,
    max_age=16,
)
ALL = [JUNIOR, JUNIOR_4G, SWIM, TEEN]


def slugs(need: Need) -> list[str]:
    return [r.spec.slug for r in recommend(ALL, need)]


def test_it_rules_out_models_made_for_another_age() -> None:
    assert slugs(Need(14)) == ["teen"]
    assert score(JUNIOR, Need(12)) is None


def test_it_suggests_only_swim_proof_models_for_swimming() -> None:
    assert slugs(Need(7, frozenset({"swimming"}))) == ["swim"]


def test_it_needs_calling_when_the_family_wants_calls() -> None:
    assert "junior" not in slugs(Need(6, frozenset({"calling"})))
    assert slugs(Need(6, frozenset({"calling"})))[0] in {"junior-4g", "swim"}


def test_it_prefers_the_cheap_model_on_a_budget() -> None:
    assert slugs(Need(6, frozenset({"budget", "school"})))[0] == "junior"


def test_it_gives_reasons_and_skips_models_out_of_stock() -> None:
    gone = Spec("gone", "Gone", Decimal("100"), min_age=0, max_age=99, in_stock=False)
    result = recommend([*ALL, gone], Need(9, frozenset({"outdoors"})))
    assert "gone" not in [r.spec.slug for r in result]
    assert "outdoors" in result[0].reasons
    assert len(recommend(ALL, Need(6), limit=2)) == 2
