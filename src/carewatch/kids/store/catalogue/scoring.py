"""Which tracker suits a child: plain Python, no Django, so it is tested directly.

Each model is scored against the child's age and what the family needs it for;
a must-have that a model lacks rules it out, a nice-to-have adds to its score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

USES = ("school", "calling", "swimming", "outdoors", "budget")


@dataclass(frozen=True)
class Spec:
    slug: str
    name: str
    price: Decimal
    gps: bool = True
    wifi: bool = False
    lte: bool = False
    battery_hours: int = 0
    water_rating: str = ""
    sos_button: bool = False
    calling: bool = False
    school_mode: bool = False
    min_age: int = 0
    max_age: int = 99
    in_stock: bool = True


@dataclass(frozen=True)
class Need:
    age: int
    uses: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Recommendation:
    spec: Spec
    score: int
    reasons: tuple[str, ...]


def waterproof(rating: str) -> bool:
    """IP68 survives a swimming pool; IP67 and below only rain and splashes."""
    return rating.upper() == "IP68"


def score(spec: Spec, need: Need) -> Recommendation | None:
    """None when the model does not fit at all; otherwise its score and the reasons."""
    if not spec.in_stock or not spec.min_age <= need.age <= spec.max_age:
        return None
    if "calling" in need.uses and not spec.calling:
        return None
    if "swimming" in need.uses and not waterproof(spec.water_rating):
        return None
    points, reasons = 10, ["age"]
    for use, ok, bonus in _bonuses(spec, need):
        if use in need.uses and ok:
            points, reasons = points + bonus, [*reasons, use]
    if spec.sos_button:
        points, reasons = points + 3, [*reasons, "sos"]
    points += min(spec.battery_hours // 24, 5)
    return Recommendation(spec, points, tuple(reasons))


def _bonuses(spec: Spec, need: Need) -> list[tuple[str, bool, int]]:
    return [
        ("school", spec.school_mode, 5),
        ("calling", spec.calling and spec.lte, 4),
        ("swimming", waterproof(spec.water_rating), 4),
        ("outdoors", spec.lte and spec.battery_hours >= 48, 4),
        ("budget", spec.price <= Decimal("3000"), 6),
    ]


def recommend(specs: list[Spec], need: Need, limit: int = 3) -> list[Recommendation]:
    """The best fits first; the cheaper model wins a tie."""
    fits = [r for r in (score(spec, need) for spec in specs) if r is not None]
    fits.sort(key=lambda r: (-r.score, r.spec.price, r.spec.slug))
    return fits[:limit]
