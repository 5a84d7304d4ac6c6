"""The assistant's decision for one question (pure: no Django).

In order: an emergency (a missing child, an SOS) gets the live map, the SOS settings and
112 before anything else; a request for a diagnosis or treatment gets the fixed medical
answer; asking for a person hands over; otherwise the help is searched and the best
article answers when it is clearly the best, is handed over when the match is weak or
close to another article's, and is out of scope when nothing matches. See
`carewatch.platform.assistant` for what was measured.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from carewatch.platform.assistant import replies, safety
from carewatch.platform.assistant.index import Hit, Index, Options, by_article
from carewatch.platform.assistant.passages import CONTENT_DIR, LANGUAGES, Passage, load
from carewatch.platform.assistant.replies import Link
from carewatch.platform.assistant.text import clean, is_latin_word, terms
from carewatch.platform.help.articles import page_match

KINDS = ("answer", "handover", "out_of_scope", "medical", "emergency")


@dataclass(frozen=True)
class Settings:
    """Chosen on bench/assistant_questions with bench/assistant_eval.py (see the docs)."""

    # Under this relative score nothing in the help matches: out of scope. Per language:
    # Tamil and Hindi questions reach lower scores (endings, spoken forms, mixed scripts).
    out_of_scope_below: tuple[tuple[str, float], ...] = (("en", 0.11), ("hi", 0.055), ("ta", 0.03))
    handover_factor: float = 1.2  # up to this many times that floor: unsure, offer a person
    page_boost: float = 0.5  # articles that explain the current page gain this share
    english_weight: float = 1.0  # Latin-script words in hi/ta also search English (weight)
    oov_weight: float = 1.0  # a word the help never uses weighs this share of the rarest

    def floor(self, lang: str) -> float:
        return dict(self.out_of_scope_below).get(lang, 0.1)


@dataclass(frozen=True)
class Reply:
    kind: str
    section: str
    answer: str
    score: float
    lang: str
    passage: Passage | None = None
    sections: tuple[str, ...] = ()  # the best articles, best first (for top-3)
    links: tuple[Link, ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "section": self.section,
            "answer": self.answer,
            "score": round(self.score, 4),
            "lang": self.lang,
            "url": self.passage.url if self.passage else self.section,
            "sections": list(self.sections),
            "links": [{"label": link.label, "url": link.url} for link in self.links],
        }


class Assistant:
    def __init__(
        self,
        passages: Sequence[Passage],
        options: Options | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.options, self.settings = options or Options(), settings or Settings()
        self.indexes = {
            lang: Index([p for p in passages if p.lang == lang], self.options) for lang in LANGUAGES
        }

    def ask(self, question: str, lang: str = "en", page: str = "") -> Reply:
        lang = lang if lang in self.indexes else "en"
        question = clean(question)
        ranked = self.rank(question, lang, page)
        sections = tuple(hit.passage.section for hit in ranked[:3])
        if safety.is_emergency(question):
            return self._fixed(
                "emergency",
                lang,
                replies.EMERGENCY,
                replies.EMERGENCY_LINKS,
                replies.SOS_SETTINGS,
                sections,
            )
        if safety.is_medical(question):
            return self._fixed(
                "medical",
                lang,
                replies.MEDICAL,
                replies.MEDICAL_LINKS,
                replies.MEDICAL_SECTION,
                sections,
            )
        if safety.wants_person(question):
            return self._fixed(
                "handover",
                lang,
                replies.HANDOVER,
                replies.PERSON_LINKS,
                replies.CONTACT,
                sections,
                ranked,
            )
        return self._decide(lang, ranked, sections)

    def _decide(self, lang: str, ranked: list[Hit], sections: tuple[str, ...]) -> Reply:
        floor = self.settings.floor(lang)
        best = ranked[0] if ranked else None
        if best is None or best.score < floor:
            return self._fixed(
                "out_of_scope",
                lang,
                replies.OUT_OF_SCOPE,
                replies.PERSON_LINKS,
                "",
                sections,
                ranked,
            )
        if best.score < floor * self.settings.handover_factor:
            return self._fixed(
                "handover",
                lang,
                replies.HANDOVER,
                replies.PERSON_LINKS,
                best.passage.section,
                sections,
                ranked,
            )
        passage = best.passage
        return Reply(
            "answer",
            passage.section,
            passage.text,
            best.score,
            lang,
            passage,
            sections,
            (Link(passage.title, passage.url),),
        )

    def _fixed(
        self,
        kind: str,
        lang: str,
        texts: dict[str, str],
        links: dict[str, list[Link]],
        section: str,
        sections: tuple[str, ...],
        ranked: Sequence[Hit] = (),
    ) -> Reply:
        # A safety answer is certain; otherwise the score is the best match's.
        score = ranked[0].score if ranked else (1.0 if kind in ("emergency", "medical") else 0.0)
        return Reply(kind, section, texts[lang], score, lang, None, sections, tuple(links[lang]))

    def rank(self, question: str, lang: str, page: str = "") -> list[Hit]:
        """One hit per article, best first: the question's language, plus English for the
        Latin-script words of a Hindi or Tamil question, plus the current page's articles."""
        query = terms(question, self.options.prefix)
        native = by_article(self.indexes[lang].search(query, self.settings.oov_weight))
        if lang != "en" and self.settings.english_weight > 0:
            latin = [t for t in query if is_latin_word(t)]
            self._fuse(native, lang, latin)
        boost = self.settings.page_boost
        hits = [
            Hit(
                h.passage, h.score * (1 + boost) if page and _explains(h.passage, page) else h.score
            )
            for h in native.values()
        ]
        return sorted(hits, key=lambda h: -h.score)

    def _fuse(self, native: dict[str, Hit], lang: str, latin: list[str]) -> None:
        if not latin:
            return
        weight = self.settings.english_weight
        for section, hit in by_article(
            self.indexes["en"].search(latin, self.settings.oov_weight)
        ).items():
            score = hit.score * weight
            if section in native and native[section].score >= score:
                continue
            passage = native[section].passage if section in native else self._first(lang, section)
            if passage is not None:
                native[section] = Hit(passage, score)

    def _first(self, lang: str, section: str) -> Passage | None:
        return next((p for p in self.indexes[lang].passages if p.section == section), None)


def _explains(passage: Passage, page: str) -> bool:
    return any(page_match(prefix, page) for prefix in passage.pages)


@functools.cache
def default(content_dir: Path = CONTENT_DIR) -> Assistant:
    """Built once per process from the help content in the package (no download)."""
    return Assistant(load(content_dir))
