"""A BM25 index (bm25s) over the help passages of one language (pure: no Django).

Each passage is indexed as its article's title, its heading, the article's keywords and
its text. Scores are reported per article (the best passage), because the assistant's
`section` is the article's page. A score is divided by what the query's terms
would score each found once in a passage of average length (the sum of their IDFs):
about 1.0 means every word of the question is in the passage. A word the help never
uses counts `oov_weight` times the rarest word's IDF, so a question about something
else scores low; this relative score is what the thresholds compare, so they
do not depend on how long the question is.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from carewatch.platform.assistant.passages import Passage
from carewatch.platform.assistant.text import terms

K1 = 1.5


@dataclass(frozen=True)
class Options:
    keywords: bool = True  # index the articles' keywords with each passage
    title: bool = True  # index the article's title and the heading with each passage
    prefix: int = 4  # Indic words also index their first N letters (0: off)


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # relative, see the module docstring


class Index:
    def __init__(self, passages: Sequence[Passage], options: Options | None = None) -> None:
        self.passages = list(passages)
        self.options = options = options or Options()
        corpus = [terms(self._document(p), options.prefix) for p in self.passages]
        self._bm25 = bm25s.BM25(k1=K1)
        if corpus:  # a language without help yet has an empty index
            self._bm25.index([doc or ["\u2205"] for doc in corpus], show_progress=False)
        frequencies = Counter(t for doc in corpus for t in set(doc))
        n = max(len(corpus), 1)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in frequencies.items()}
        self._max_idf = math.log(1 + (n + 0.5) / 0.5)

    def _document(self, passage: Passage) -> str:
        parts = [passage.text]
        if self.options.title:
            parts += [passage.title, passage.heading]
        if self.options.keywords:
            parts += list(passage.keywords)
        return "\n".join(parts)

    def _stem_known(self, term: str) -> bool:
        """A Hindi or Tamil word with an ending the help does not use, whose stem it does."""
        n = self.options.prefix
        return bool(n) and not term.isascii() and term[:n] + "~" in self._idf

    def known(self, query_terms: Sequence[str]) -> list[str]:
        return [t for t in query_terms if t in self._idf]

    def search(self, query_terms: Sequence[str], oov_weight: float = 1.0) -> list[Hit]:
        """Every passage with a score above zero, best first."""
        known = self.known(query_terms)
        if not known or not self.passages:
            return []
        raw = np.asarray(self._bm25.get_scores(known))
        unknown = sum(1 for t in query_terms if t not in self._idf and not self._stem_known(t))
        ceiling = sum(self._idf[t] for t in known) + unknown * oov_weight * self._max_idf
        order = np.argsort(-raw)
        return [Hit(self.passages[i], float(raw[i]) / ceiling) for i in order if raw[i] > 0]


def by_article(hits: Sequence[Hit]) -> dict[str, Hit]:
    """The best passage of each article, keyed by the article's section path."""
    best: dict[str, Hit] = {}
    for hit in hits:
        current = best.get(hit.passage.section)
        if current is None or hit.score > current.score:
            best[hit.passage.section] = hit
    return best
