"""Offline evaluation of "recommended for you" against two baselines, in one run.

Generates realistic shop histories in plain Python (no database): families with one to
three children of different ages, a watch model chosen for each child's age and the
family's taste (budget, swimming), accessories that fit the watches they own (straps,
chargers, SIM plans for the 4G models, tag holders), views before purchases, seasons
(back to school in June, Diwali in October-November) and 5-20 % noise per family
(random views and purchases). Two years of days; the last 91 are the test window.

- time-based hold-out: the model sees events before the test window only, and is
  judged on the products each family bought inside it;
- tuning (ALS size, blend weights) uses a validation window carved from training time
  (the 91 days before the test window), never the test window;
- metrics over the whole catalogue (not sampled): precision@k, recall@k, NDCG@k for
  k = 3 and 5, each family's already-bought products left out for every method alike;
- baselines computed in the same run on the same split: popularity (most bought
  first) and item-to-item (cosine similarity between products over users, scikit-learn).

The recommender is carewatch.kids.store.recommend.core: the same code the periodic task
runs (ALS from `implicit` blended with the fit and ownership rules).

    uv run python bench/recommend_bench.py --quick   # 1,500 families, a small grid
    uv run python bench/recommend_bench.py           # 5,000 families, the full grid

Seeded (--seed): the same command prints the same figures. Prints a table, writes
test-artifacts/recommend_bench.json and prints the same JSON object as the last line.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # implicit warns (and slows) otherwise

from carewatch.kids.store.recommend.core.baselines import ItemToItem, popular_ranking  # noqa: E402
from carewatch.kids.store.recommend.core.items import (  # noqa: E402
    ACCESSORY,
    TRACKER,
    Item,
    spec_features,
)
from carewatch.kids.store.recommend.core.metrics import evaluate  # noqa: E402
from carewatch.kids.store.recommend.core.model import (  # noqa: E402
    ORDER,
    VIEW,
    Config,
    Event,
    Household,
    Model,
    recommend_for,
    train,
)

OUT = Path("test-artifacts/recommend_bench.json")
DAYS, WINDOW = 730, 91
TEST_START, VALID_START = DAYS - WINDOW, DAYS - 2 * WINDOW
KS = (3, 5)

# (slug, price, min_age, max_age, lte, battery hours, water, calling, school mode)
TRACKERS = [
    ("mini", 1999, 3, 6, False, 48, "IP54", False, False),
    ("tag", 2499, 3, 16, True, 168, "IP67", False, False),
    ("junior", 2999, 4, 8, False, 48, "IP54", False, True),
    ("junior-4g", 5499, 5, 10, True, 36, "IP67", True, True),
    ("swim-4g", 6999, 6, 12, True, 48, "IP68", True, True),
    ("teen", 8499, 10, 16, True, 72, "IP68", True, True),
]
ROUND = frozenset({"mini", "junior", "junior-4g"})
SQUARE = frozenset({"swim-4g", "teen"})
LTE = frozenset({"tag", "junior-4g", "swim-4g", "teen"})
WATCHES = ROUND | SQUARE
# (slug, price, fits, how often it is wanted)
ACCESSORIES = [
    ("strap-round-teal", 399, ROUND, 2.0),
    ("strap-round-pink", 399, ROUND, 1.5),
    ("strap-square-black", 499, SQUARE, 2.0),
    ("strap-square-blue", 499, SQUARE, 1.2),
    ("charger-magnetic", 499, WATCHES, 1.5),
    ("charger-tag", 349, frozenset({"tag"}), 1.5),
    ("tag-holder-shoe", 299, frozenset({"tag"}), 2.0),
    ("tag-holder-bag", 249, frozenset({"tag"}), 1.5),
    ("sim-monthly", 199, LTE, 1.5),
    ("sim-yearly", 1999, LTE, 1.0),
    ("screen-guard-round", 199, ROUND, 1.0),
    ("screen-guard-square", 249, SQUARE, 1.0),
    ("swim-strap", 599, frozenset({"swim-4g"}), 1.2),
    ("leather-strap", 899, frozenset({"teen"}), 1.0),
    ("car-charger", 399, WATCHES | {"tag"}, 0.6),
    ("power-bank", 999, frozenset(), 0.4),
]


def catalogue() -> dict[str, Item]:
    items = {}
    for slug, price, low, high, lte, battery, water, calling, school in TRACKERS:
        features = spec_features(
            gps=True,
            wifi=True,
            lte=lte,
            battery_hours=battery,
            water_rating=water,
            sos_button=True,
            calling=calling,
            school_mode=school,
            min_age=low,
            max_age=high,
        )
        items[slug] = Item(slug, slug, TRACKER, price, features, min_age=low, max_age=high)
    for slug, price, fits, _ in ACCESSORIES:
        items[slug] = Item(slug, slug, ACCESSORY, price, fits=fits)
    return items


def season(day: int) -> float:
    """Back to school (June) and Diwali (October-November) sell more."""
    of_year = day % 365
    if 150 <= of_year < 190:
        return 3.0
    if 280 <= of_year < 320:
        return 2.5
    return 1.0


@dataclass
class Family:
    user: int
    ages: list[float]  # at day 0
    budget: bool
    swimmer: bool
    noise: float
    start: int
    watch_of: dict[int, tuple[str, int]] = field(default_factory=dict)  # child -> (model, day)
    events: list[Event] = field(default_factory=list)
    owned: set[str] = field(default_factory=set)

    def age(self, child: int, day: float) -> float:
        return self.ages[child] + day / 365


class World:
    def __init__(self, families: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.items = catalogue()
        self.slugs = sorted(self.items)
        self.families = [self._family(user) for user in range(families)]
        for family in self.families:
            self._live(family)

    def _family(self, user: int) -> Family:
        rng = self.rng
        children = rng.choices([1, 2, 3], weights=[0.45, 0.4, 0.15])[0]
        ages = sorted((rng.uniform(1.0, 14.0) for _ in range(children)), reverse=True)
        start = rng.randrange(0, DAYS - 30)
        noise = rng.uniform(0.05, 0.20)
        return Family(user, ages, rng.random() < 0.3, rng.random() < 0.25, noise, start)

    def _event(self, family: Family, slug: str, kind: str, day: int) -> None:
        if self.rng.random() < family.noise:
            slug = self.rng.choice(self.slugs)  # a misclick, a gift for someone else
        family.events.append(Event(family.user, slug, kind, float(day)))
        if kind == ORDER:
            family.owned.add(slug)

    def _tracker_for(self, family: Family, child: int, day: int) -> str | None:
        age = family.age(child, day)
        options, weights = [], []
        for slug, price, low, high, *_ in TRACKERS:
            if low <= age <= high:
                weight = 1.0
                weight *= 3.0 if family.budget and price <= 3000 else 1.0
                weight *= 4.0 if family.swimmer and slug == "swim-4g" else 1.0
                weight *= 2.0 if age >= 10 and slug == "teen" else 1.0
                options.append(slug)
                weights.append(weight)
        return self.rng.choices(options, weights)[0] if options else None

    def _buy_watch(self, family: Family, child: int, day: int) -> None:
        model = self._tracker_for(family, child, day)
        if model is None:
            return
        for look in self.rng.sample([t[0] for t in TRACKERS], 2) + [model]:
            self._event(family, look, VIEW, max(day - self.rng.randrange(1, 6), 0))
        self._event(family, model, ORDER, day)
        family.watch_of[child] = (model, day)
        if model in LTE and self.rng.random() < 0.5:
            self._event(family, self.rng.choice(["sim-monthly", "sim-yearly"]), ORDER, day)

    def _accessory(self, family: Family, day: int) -> None:
        models = {m for m, _ in family.watch_of.values()}
        options = [
            (slug, want)
            for slug, _, fits, want in ACCESSORIES
            if slug not in family.owned and (not fits or fits & models)
        ]
        if not options:
            return
        slug = self.rng.choices([o[0] for o in options], [o[1] for o in options])[0]
        self._event(family, slug, VIEW, max(day - self.rng.randrange(0, 4), 0))
        self._event(family, slug, ORDER, day)

    def _live(self, family: Family) -> None:
        rng = self.rng
        for week_start in range(family.start, DAYS, 7):
            day = week_start + rng.randrange(7)
            if day >= DAYS:
                break
            boost = season(day)
            for child in range(len(family.ages)):
                if child in family.watch_of or family.age(child, day) < 3:
                    continue
                # The first watch soon after arriving, a sibling's later (often in a season).
                first = not family.watch_of and day - family.start < 14
                if first or rng.random() < 0.012 * boost:
                    self._buy_watch(family, child, day)
                    break
            if family.watch_of and rng.random() < 0.03 * boost:
                self._accessory(family, day)
            if rng.random() < 0.02:
                self._event(family, rng.choice(self.slugs), VIEW, day)  # browsing

    def events(self) -> list[Event]:
        return sorted((e for f in self.families for e in f.events), key=lambda e: e.day)

    def household(self, family: Family, before: int) -> Household:
        """What the shop knows of the family on day `before`: watches paired, orders."""
        owned = frozenset(e.slug for e in family.events if e.kind == ORDER and e.day < before)
        watches = sorted(
            ((day, model) for model, day in family.watch_of.values() if day < before),
            reverse=True,
        )
        equipped = {c for c, (_, day) in family.watch_of.items() if day < before}
        ages = tuple(
            int(family.age(c, before))
            for c in range(len(family.ages))
            if c not in equipped and family.age(c, before) >= 3
        )
        return Household(owned, tuple(m for _, m in watches), ages)


def bought_between(world: World, start: int, end: int) -> dict[int, set[str]]:
    truth: dict[int, set[str]] = {}
    for family in world.families:
        before = {e.slug for e in family.events if e.kind == ORDER and e.day < start}
        got = {e.slug for e in family.events if e.kind == ORDER and start <= e.day < end} - before
        if got:
            truth[family.user] = got
    return truth


def score_all(
    world: World, start: int, end: int, configs: list[Config]
) -> dict[str, dict[str, float]]:
    """Every method trained on events before `start`, judged on purchases in [start, end)."""
    history = [e for e in world.events() if e.day < start]
    truth = bought_between(world, start, end)
    families = [f for f in world.families if f.user in truth]
    homes = {f.user: world.household(f, start) for f in families}
    popular = popular_ranking([e for e in history if e.kind == ORDER], world.slugs)
    item2item = ItemToItem(history, world.slugs)
    results = {
        "popularity": evaluate(
            {u: [s for s in popular if s not in homes[u].owned] for u in truth}, truth, KS
        ),
        "item2item": evaluate(
            {
                u: [s for s in item2item.ranking(u) or popular if s not in homes[u].owned]
                for u in truth
            },
            truth,
            KS,
        ),
    }
    models: dict[tuple[int, float], Model] = {}
    for index, config in enumerate(configs):
        key = (config.factors, config.regularization)
        if key not in models:
            models[key] = train(history, world.slugs, config)
        model = models[key]
        rankings = {
            u: [p.slug for p in recommend_for(model, u, homes[u], world.items, config, max(KS))]
            for u in truth
        }
        results[f"recommender#{index}"] = evaluate(rankings, truth, KS)
    if len(configs) == 1:  # the test run: what the model alone does, without the rules
        results["als_only"] = evaluate(
            {u: als_ranking(model, u, homes[u], popular) for u in truth}, truth, KS
        )
    return results


def als_ranking(model: Model, user: int, home: Household, popular: list[str]) -> list[str]:
    """The ALS scores alone (popularity for a family it never met), owned products left out."""
    scores = model.scores(user)
    ranked = sorted(scores, key=lambda s: (-scores[s], s)) if scores else popular
    return [s for s in ranked if s not in home.owned]


def grid(quick: bool) -> list[Config]:
    sizes = [(16, 0.05)] if quick else [(8, 0.05), (16, 0.05), (32, 0.1)]
    fits = [0.25, 0.5, 1.0]
    children = [0.5, 1.0, 2.0]
    popular = [0.1, 0.3, 1.0]
    return [
        replace(
            Config(), factors=f, regularization=r, fit_weight=a, child_weight=b, popularity_weight=c
        )
        for (f, r), a, b, c in itertools.product(sizes, fits, children, popular)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,500 families and a small grid")
    parser.add_argument("--families", type=int, default=0, help="override the number of families")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    started = time.perf_counter()
    families = args.families or (1500 if args.quick else 5000)
    world = World(families, args.seed)
    events = world.events()
    orders = sum(1 for e in events if e.kind == ORDER)
    print(
        f"{families} families, {len(world.slugs)} products, {orders} purchases, "
        f"{len(events) - orders} views over {DAYS} days (seed {args.seed})"
    )

    configs = grid(args.quick)
    valid = score_all(world, VALID_START, TEST_START, configs)
    best_index = max(range(len(configs)), key=lambda i: valid[f"recommender#{i}"]["ndcg@5"])
    best = configs[best_index]
    chosen_ndcg = valid[f"recommender#{best_index}"]["ndcg@5"]
    print(
        f"validation (days {VALID_START}-{TEST_START}, {len(configs)} settings): best "
        f"factors={best.factors} fit={best.fit_weight} child={best.child_weight} "
        f"popularity={best.popularity_weight}, ndcg@5 {chosen_ndcg:.3f}"
    )

    test = score_all(world, TEST_START, DAYS, [best])
    test["recommender"] = test.pop("recommender#0")
    truth = bought_between(world, TEST_START, DAYS)
    print(f"test (days {TEST_START}-{DAYS}): {len(truth)} families bought something\n")
    names = ["recommender", "popularity", "item2item", "als_only"]
    metrics = [f"{m}@{k}" for k in KS for m in ("precision", "recall", "ndcg")]
    print("als_only: the same ALS model without the fit and ownership rules (for reference)")
    print(f"{'':14}" + "".join(f"{m:>14}" for m in metrics))
    for name in names:
        print(f"{name:14}" + "".join(f"{test[name][m]:14.3f}" for m in metrics))
    figures: dict[str, object] = {
        "families": families,
        "products": len(world.slugs),
        "seed": args.seed,
        "test_families": len(truth),
        "chosen": {
            "factors": best.factors,
            "fit_weight": best.fit_weight,
            "child_weight": best.child_weight,
            "popularity_weight": best.popularity_weight,
        },
    }
    for name in names:
        figures |= {f"{name}.{m}": round(test[name][m], 4) for m in metrics}
    for base in ("popularity", "item2item"):
        for m in metrics:
            lift = test["recommender"][m] / test[base][m] if test[base][m] else math.inf
            figures[f"lift_vs_{base}.{m}"] = round(lift, 3)
    print()
    for base in ("popularity", "item2item"):
        print(
            f"lift vs {base:10}: ndcg@5 x{figures[f'lift_vs_{base}.ndcg@5']}, "
            f"precision@3 x{figures[f'lift_vs_{base}.precision@3']}, "
            f"recall@5 x{figures[f'lift_vs_{base}.recall@5']}"
        )
    beats = all(
        test["recommender"][m] > test[b][m] for b in ("popularity", "item2item") for m in metrics
    )
    figures["beats_both"] = beats
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(f"recommender beats both baselines on every metric: {beats}")
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
