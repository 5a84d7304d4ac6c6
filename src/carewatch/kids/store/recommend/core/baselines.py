"""The baselines the recommender is measured against: popularity and item-to-item cosine."""

from __future__ import annotations

import numpy as np
from sklearn.metrics.pairwise import cosine_similarity

from carewatch.kids.store.recommend.core.model import Event, interaction_matrix, popularity


def popular_ranking(events: list[Event], slugs: list[str]) -> list[str]:
    """Every product, most popular first (ties by name, so the order is stable)."""
    counts = popularity(events)
    return sorted(slugs, key=lambda s: (-counts.get(s, 0.0), s))


class ItemToItem:
    """Scores a user's unseen products by cosine similarity (over users) to what they used."""

    def __init__(self, events: list[Event], slugs: list[str]) -> None:
        self.slugs = slugs
        self.matrix, self.users = interaction_matrix(events, slugs)
        self.similar = cosine_similarity(self.matrix.T.tocsr(), dense_output=True)
        np.fill_diagonal(self.similar, 0.0)

    def ranking(self, user: int) -> list[str]:
        row = self.users.get(user)
        if row is None:
            return []
        scores = np.asarray(self.matrix[row] @ self.similar).ravel()
        order = sorted(range(len(self.slugs)), key=lambda i: (-scores[i], self.slugs[i]))
        return [self.slugs[i] for i in order]
