"""A centre's feedback in figures (plain Python, no Django)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

SCALE = range(1, 6)


@dataclass(frozen=True)
class Summary:
    count: int
    average: float | None  # None without any answer: an empty centre has no average
    counts: dict[int, int]  # every score 1-5, zero when nobody chose it

    def share(self, score: int) -> int:
        """Percentage of answers with that score, for the bars."""
        return round(100 * self.counts[score] / self.count) if self.count else 0


def summarise(scores: Iterable[int]) -> Summary:
    found = Counter(scores)
    total = sum(found.values())
    average = sum(s * n for s, n in found.items()) / total if total else None
    return Summary(total, average, {s: found.get(s, 0) for s in SCALE})
