"""Response-time figures for the staff inbox, in plain Python (no Django).

Input: one (asked, first_answer) pair per thread; `first_answer` None means the
thread is waiting for us. Times to first answer are counted for threads asked within
each window (the last 7 and 30 days); p90 is the nearest-rank percentile (the time
within which 90 % of them were answered).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

Pair = tuple[datetime, datetime | None]


@dataclass(frozen=True)
class Window:
    days: int
    answered: int
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class Figures:
    windows: tuple[Window, ...]
    waiting: int
    oldest_waiting: timedelta | None


def nearest_rank(values: Sequence[float], share: float) -> float:
    """`values` sorted, not empty; share in (0, 1]."""
    return values[max(0, math.ceil(share * len(values)) - 1)]


def window(pairs: Sequence[Pair], now: datetime, days: int) -> Window:
    since = now - timedelta(days=days)
    waits = sorted(
        (answered - asked).total_seconds()
        for asked, answered in pairs
        if answered is not None and asked >= since
    )
    if not waits:
        return Window(days, 0, None, None)
    median = timedelta(seconds=statistics.median(waits))
    return Window(days, len(waits), median, timedelta(seconds=nearest_rank(waits, 0.9)))


def response_figures(
    pairs: Iterable[Pair], now: datetime, days: Sequence[int] = (7, 30)
) -> Figures:
    pairs = list(pairs)
    waiting = [asked for asked, answered in pairs if answered is None]
    oldest = now - min(waiting) if waiting else None
    return Figures(tuple(window(pairs, now, n) for n in days), len(waiting), oldest)


def short_duration(value: timedelta | None) -> str:
    """ "3 min", "2 h 5 min", "4 d 3 h": staff read these at a glance; "–" for none."""
    if value is None:
        return "–"
    minutes = max(0, round(value.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
