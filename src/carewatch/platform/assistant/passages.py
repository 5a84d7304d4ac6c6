"""The help articles as the assistant searches them: one passage per `## ` section (and the
introduction above the first), with its article's title, keywords and pages (pure: no
Django). Parsing is the help centre's (`carewatch.platform.help.articles`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from carewatch.platform.help import articles
from carewatch.platform.help.articles import Article

LANGUAGES = articles.LANGUAGES
CONTENT_DIR = articles.CONTENT


@dataclass(frozen=True)
class Passage:
    lang: str
    service: str
    slug: str
    title: str
    heading: str
    anchor: str
    text: str  # plain text, for the answer (the help page shows the Markdown)
    keywords: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()

    @property
    def section(self) -> str:
        """The help article's URL path: what the assistant reports as its `section`."""
        return f"/help/{self.service}/{self.slug}/"

    @property
    def url(self) -> str:
        return f"{self.section}#{self.anchor}" if self.anchor else self.section


def load(content_dir: Path = CONTENT_DIR) -> list[Passage]:
    library = articles.load(content_dir)
    return [p for lang in LANGUAGES for a in library.in_language(lang) for p in of(a)]


def parse(lang: str, service: str, slug: str, source: str) -> list[Passage]:
    return of(articles.parse(source, lang=lang, service=service, slug=slug))


def of(article: Article) -> list[Passage]:
    a = article
    return [
        Passage(
            a.lang,
            a.service,
            a.slug,
            a.title,
            p.heading,
            p.anchor,
            plain(p.text),
            a.keywords,
            a.pages,
        )  # fmt: skip
        for p in a.passages
    ]


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+", re.M)


def plain(markdown: str) -> str:
    """What a person reads in the chat: links as their text, no emphasis marks."""
    text = _LIST_MARK.sub("• ", _LINK.sub(r"\1", markdown))
    return _EMPHASIS.sub("", text).strip()
