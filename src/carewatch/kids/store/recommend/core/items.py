"""What the recommender knows of a product, and how alike two products are."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

TRACKER, ACCESSORY = "tracker", "accessory"
WATER_LEVELS = {"": 0, "IP54": 1, "IP67": 2, "IP68": 3}


@dataclass(frozen=True)
class Item:
    """A product as the recommender sees it. `fits`: the trackers an accessory fits."""

    slug: str
    name: str
    kind: str
    price: float
    features: tuple[float, ...] = ()
    fits: frozenset[str] = field(default_factory=frozenset)
    min_age: int = 0
    max_age: int = 99
    available: bool = True  # on sale and in stock

    @property
    def is_tracker(self) -> bool:
        return self.kind == TRACKER


def spec_features(
    *,
    gps: bool,
    wifi: bool,
    lte: bool,
    battery_hours: int,
    water_rating: str,
    sos_button: bool,
    calling: bool,
    school_mode: bool,
    min_age: int,
    max_age: int,
) -> tuple[float, ...]:
    """A tracker's specifications as numbers of similar size (0..1), for cosine similarity."""
    return (
        float(gps),
        float(wifi),
        float(lte),
        min(battery_hours, 168) / 168,
        WATER_LEVELS.get(water_rating.upper(), 0) / 3,
        float(sos_button),
        float(calling),
        float(school_mode),
        min(min_age, 16) / 16,
        min(max_age, 16) / 16,
    )


def _cosine(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _price_closeness(a: float, b: float) -> float:
    """1 for the same price, 0.5 when one costs twice the other."""
    if a <= 0 or b <= 0:
        return 0.0
    return 1 / (1 + abs(math.log2(a / b)))


def similarity(a: Item, b: Item) -> float:
    """0..1: trackers by specifications and price, accessories by what they fit and price.

    A tracker and an accessory are never "similar" (that is what fit is for)."""
    if a.kind != b.kind or a.slug == b.slug:
        return 0.0
    if a.is_tracker:
        return 0.8 * _cosine(a.features, b.features) + 0.2 * _price_closeness(a.price, b.price)
    union = a.fits | b.fits
    overlap = len(a.fits & b.fits) / len(union) if union else 0.0
    return 0.7 * overlap + 0.3 * _price_closeness(a.price, b.price)


def fits_any(item: Item, trackers: frozenset[str] | set[str]) -> bool:
    """An accessory fits one of these trackers; an accessory that fits nothing named fits all."""
    return not item.is_tracker and (not item.fits or bool(item.fits & trackers))


def fitting(item: Item, trackers: list[str]) -> str | None:
    """The first of these trackers (say, the family's watches) that the accessory fits."""
    if item.is_tracker:
        return None
    return next((t for t in trackers if not item.fits or t in item.fits), None)
