"""Ranking metrics over the whole catalogue: precision@k, recall@k, NDCG@k (binary gains)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def precision_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return sum(1 for slug in ranked[:k] if slug in relevant) / k


def recall_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    if not relevant:
        return 0.0
    return sum(1 for slug in ranked[:k] if slug in relevant) / len(relevant)


def ndcg_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    gains = sum(1 / math.log2(i + 2) for i, slug in enumerate(ranked[:k]) if slug in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return gains / ideal if ideal else 0.0


def evaluate(
    rankings: Mapping[int, Sequence[str]],
    truth: Mapping[int, set[str]],
    ks: Sequence[int] = (3, 5),
) -> dict[str, float]:
    """Means over the users in `truth` (a user with no ranking scores 0)."""
    users = [u for u in truth if truth[u]]
    result: dict[str, float] = {}
    for k in ks:
        for name, metric in (
            ("precision", precision_at_k),
            ("recall", recall_at_k),
            ("ndcg", ndcg_at_k),
        ):
            values = [metric(rankings.get(u, []), truth[u], k) for u in users]
            result[f"{name}@{k}"] = sum(values) / len(values) if values else 0.0
    return result
