"""Related products of a product page and a basket: plain Python over specs and orders.

Accessories that fit the product come first, then what is bought with it (co-occurrence
in real orders), then what has similar specifications.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from carewatch.kids.store.recommend.core.items import Item, similarity

FITS, BOUGHT_TOGETHER, SIMILAR = "fits", "bought_together", "similar"
MIN_SUPPORT = 2  # bought together at least this many times before it counts


@dataclass(frozen=True)
class Related:
    slug: str
    score: float
    reason: str


def co_occurrence(orders: Iterable[Iterable[str]]) -> dict[str, dict[str, float]]:
    """For each product, how strongly each other one is bought with it (cosine of counts).

    A product in many orders does not drown the rest: the count is divided by the
    square root of both products' order counts. Pairs seen fewer than MIN_SUPPORT times
    are dropped (one order is an anecdote)."""
    singles: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for order in orders:
        slugs = sorted(set(order))
        singles.update(slugs)
        pairs.update((a, b) for i, a in enumerate(slugs) for b in slugs[i + 1 :])
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, b), count in pairs.items():
        if count >= MIN_SUPPORT:
            strength = count / math.sqrt(singles[a] * singles[b])
            table[a][b] = table[b][a] = strength
    return dict(table)


def related_for(
    item: Item,
    catalogue: dict[str, Item],
    together: dict[str, dict[str, float]],
    limit: int = 6,
) -> list[Related]:
    """Fitting accessories first (the most bought-with first), then bought together,
    then similar."""
    others = [o for o in catalogue.values() if o.slug != item.slug and o.available]
    bought = together.get(item.slug, {})
    picks: dict[str, Related] = {}
    if item.is_tracker:
        fit = [o for o in others if not o.is_tracker and item.slug in o.fits]
        for o in sorted(fit, key=lambda o: (-bought.get(o.slug, 0.0), o.price, o.slug)):
            picks[o.slug] = Related(o.slug, 2.0 + bought.get(o.slug, 0.0), FITS)
    for slug, strength in sorted(bought.items(), key=lambda kv: (-kv[1], kv[0])):
        if slug not in picks and slug in catalogue and catalogue[slug].available:
            picks[slug] = Related(slug, 1.0 + strength, BOUGHT_TOGETHER)
    alike = sorted(((similarity(item, o), o.slug) for o in others), key=lambda x: (-x[0], x[1]))
    for value, slug in alike:
        if slug not in picks and value > 0.5:
            picks[slug] = Related(slug, value, SIMILAR)
    return list(picks.values())[:limit]


def related_for_basket(
    in_basket: list[str], rows: dict[str, list[Related]], limit: int = 4
) -> list[Related]:
    """The basket's related products merged from each line's stored rows: fit first,
    then by score; nothing already in the basket."""
    best: dict[str, Related] = {}
    for slug in in_basket:
        for row in rows.get(slug, []):
            if row.slug not in in_basket and (
                row.slug not in best or row.score > best[row.slug].score
            ):
                best[row.slug] = row
    ranked = sorted(best.values(), key=lambda r: (r.reason != FITS, -r.score, r.slug))
    return ranked[:limit]
