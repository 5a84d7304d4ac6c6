"""Recommended for you: an ALS model of orders, basket and views, then the shop's rules.

train() fits implicit's ALS on the weighted interactions (an order counts more than a
view); recommend_for() blends the customer's model scores with what the rules know of
the family: an accessory that fits a watch they have, a watch for a child who has none,
nothing they own already, nothing unavailable. Plain Python plus numpy/scipy/implicit:
the periodic task and bench/recommend_bench.py run this same code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix

from carewatch.kids.store.recommend.core.items import Item, fitting

ORDER, BASKET, VIEW = "order", "basket", "view"
WEIGHTS = {ORDER: 4.0, BASKET: 2.0, VIEW: 1.0}
# Why a product is recommended; the page turns each into a sentence.
FITS, SECOND_WATCH, FOR_YOU, POPULAR = "fits", "second_watch", "for_you", "popular"


@dataclass(frozen=True)
class Event:
    user: int
    slug: str
    kind: str  # ORDER, BASKET or VIEW
    day: float = 0.0


@dataclass(frozen=True)
class Household:
    """What the rules know of a customer's family when recommending."""

    owned: frozenset[str] = field(default_factory=frozenset)  # bought or paired
    watches: tuple[str, ...] = ()  # the family's tracker models, newest first
    unequipped_ages: tuple[int, ...] = ()  # children without a watch; -1: age not given
    basket: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Config:
    """Chosen on a validation split carved from training time (bench/recommend_bench.py)."""

    factors: int = 16
    regularization: float = 0.05
    iterations: int = 15
    alpha: float = 2.0
    model_weight: float = 1.0
    fit_weight: float = 1.0
    child_weight: float = 0.5
    popularity_weight: float = 0.3
    enough_watches: float = 0.3  # a tracker's score times this when every child has one
    seed: int = 7


@dataclass(frozen=True)
class Pick:
    slug: str
    score: float
    reason: str
    about: str = ""  # the watch it fits, the child's age


@dataclass
class Model:
    slugs: list[str]
    users: dict[int, int]
    user_factors: np.ndarray
    item_factors: np.ndarray
    popularity: dict[str, float]

    def scores(self, user: int | None) -> dict[str, float]:
        """The user's model scores scaled to 0..1 over the catalogue; {} for a stranger."""
        row = self.users.get(user) if user is not None else None
        if row is None or not len(self.slugs):
            return {}
        raw = self.item_factors @ self.user_factors[row]
        low, high = float(raw.min()), float(raw.max())
        scaled = (raw - low) / (high - low) if high > low else np.zeros_like(raw)
        return dict(zip(self.slugs, map(float, scaled), strict=True))


def popularity(events: Iterable[Event]) -> dict[str, float]:
    """Each product's weighted count, scaled so the most popular is 1."""
    counts: dict[str, float] = {}
    for event in events:
        counts[event.slug] = counts.get(event.slug, 0.0) + WEIGHTS[event.kind]
    top = max(counts.values(), default=0.0)
    return {slug: count / top for slug, count in counts.items()} if top else {}


def interaction_matrix(events: list[Event], slugs: list[str]) -> tuple[csr_matrix, dict[int, int]]:
    """Users x items, each cell log(1 + summed weights) of that user's events."""
    columns = {slug: i for i, slug in enumerate(slugs)}
    users = {u: i for i, u in enumerate(sorted({e.user for e in events}))}
    cells: dict[tuple[int, int], float] = {}
    for e in events:
        if e.slug in columns:
            cell = (users[e.user], columns[e.slug])
            cells[cell] = cells.get(cell, 0.0) + WEIGHTS[e.kind]
    rows, cols = zip(*cells, strict=True) if cells else ((), ())
    values = np.log1p(np.fromiter(cells.values(), dtype=np.float32, count=len(cells)))
    shape = (len(users), len(slugs))
    return csr_matrix((values, (rows, cols)), shape=shape, dtype=np.float32), users


def train(events: list[Event], slugs: list[str], config: Config = Config()) -> Model:
    """Fits ALS on the events (deterministic: one thread, a fixed seed)."""
    from implicit.cpu.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits

    matrix, users = interaction_matrix(events, slugs)
    factors = np.zeros((len(users), config.factors), np.float32)
    items = np.zeros((len(slugs), config.factors), np.float32)
    if matrix.nnz:
        # implicit's advice: its own threads, not BLAS's (and one, so runs repeat exactly).
        with threadpool_limits(1, "blas"):
            als = AlternatingLeastSquares(
                factors=config.factors,
                regularization=config.regularization,
                alpha=config.alpha,
                iterations=config.iterations,
                num_threads=1,
                random_state=config.seed,
            )
            als.fit(matrix, show_progress=False)
        factors, items = np.asarray(als.user_factors), np.asarray(als.item_factors)
    return Model(slugs, users, factors, items, popularity(events))


def recommend_for(
    model: Model,
    user: int | None,
    household: Household,
    catalogue: dict[str, Item],
    config: Config = Config(),
    limit: int = 6,
) -> list[Pick]:
    """The customer's best products with a reason each, business rules applied."""
    scores = model.scores(user)
    watches = list(household.watches) + sorted(
        s for s in household.basket if s in catalogue and catalogue[s].is_tracker
    )
    picks = [
        pick
        for item in catalogue.values()
        if (pick := _pick(item, scores, model.popularity, household, watches, config))
    ]
    picks.sort(key=lambda p: (-p.score, p.slug))
    return picks[:limit]


def _pick(
    item: Item,
    scores: dict[str, float],
    popular: dict[str, float],
    household: Household,
    watches: list[str],
    config: Config,
) -> Pick | None:
    if not item.available or item.slug in household.basket:
        return None
    child = next(
        (
            a
            for a in household.unequipped_ages
            if item.is_tracker and (a < 0 or item.min_age <= a <= item.max_age)
        ),
        None,
    )
    if item.slug in household.owned and child is None:
        return None
    fit = fitting(item, watches)
    if not item.is_tracker and watches and fit is None:
        return None  # an accessory for a watch the family does not have
    learnt = scores.get(item.slug, 0.0)
    score = config.model_weight * learnt + config.popularity_weight * popular.get(item.slug, 0.0)
    if fit is not None:
        score += config.fit_weight
    if child is not None:
        score += config.child_weight
    elif item.is_tracker and household.watches:
        score *= config.enough_watches
    if not item.is_tracker and not watches:
        score *= 0.5  # an accessory is of little use before the watch
    return Pick(item.slug, round(score, 6), *_reason(fit, child, learnt, scores))


def _reason(
    fit: str | None, child: int | None, learnt: float, scores: dict[str, float]
) -> tuple[str, str]:
    if fit is not None:
        return FITS, fit
    if child is not None:
        return SECOND_WATCH, str(child) if child >= 0 else ""
    if scores and learnt >= 0.5:
        return FOR_YOU, ""
    return POPULAR, ""
