"""Search of the help articles in every language at once: plain Python, no Django.

Each passage of each article, in English, Hindi and Tamil, is one BM25 document (bm25s),
with its article's title and keywords, so a Hindi, Tamil, English or code-mixed query
finds the article whatever language it was written in. Results come back in the reader's
language (English where a translation is missing), best passage first, one per article.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import bm25s
import numpy as np

from carewatch.platform.help.articles import Article, Library, Passage, library
from carewatch.platform.help.tokens import tokenise

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 32


@dataclass(frozen=True)
class Hit:
    article: Article  # in the reader's language when there is one
    passage: Passage | None  # the section that matched best, in the same language
    score: float

    @property
    def url(self) -> str:
        anchor = self.passage.anchor if self.passage else ""
        return self.article.path + (f"#{anchor}" if anchor else "")


class HelpIndex:
    def __init__(self, library: Library) -> None:
        self.library = library
        self.documents: list[tuple[Article, Passage]] = [
            (article, passage)
            for article in library.articles.values()
            for passage in article.passages
        ]
        self.bm25 = bm25s.BM25()
        self.bm25.index([_words(a, p) for a, p in self.documents], show_progress=False)
        self.vocabulary = set(self.bm25.vocab_dict)

    def search(self, query: str, lang: str, limit: int = 10) -> list[Hit]:
        """The best articles for `query`, one hit each; [] when no word of it is known."""
        words = [w for w in query_words(query) if w in self.vocabulary]
        if not words:
            return []
        scores = self.bm25.get_scores(words)
        best: dict[tuple[str, str], tuple[float, str]] = {}
        for i in np.argsort(-scores, kind="stable"):
            score = float(scores[i])
            if score <= 0:
                break
            article, passage = self.documents[i]
            best.setdefault(article.key, (score, passage.anchor))
        return [self._hit(key, lang, score, anchor) for key, (score, anchor) in best.items()][
            :limit
        ]

    def _hit(self, key: tuple[str, str], lang: str, score: float, anchor: str) -> Hit:
        article = self.library.find(lang, *key)
        assert article is not None  # every key came from the library
        return Hit(article, article.passage(anchor), score)


def query_words(query: str) -> list[str]:
    """A visitor's query, cut to a sane length, as words (duplicates kept once)."""
    words = tokenise(query[:MAX_QUERY_CHARS])
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def _words(article: Article, passage: Passage) -> list[str]:
    intro = article.summary if not passage.anchor else ""
    text = " ".join([article.title, *article.keywords, passage.heading, intro, passage.text])
    return tokenise(text) or [""]


@cache
def index() -> HelpIndex:
    """The index of the shipped articles, built once per process (a few milliseconds)."""
    return HelpIndex(library())
