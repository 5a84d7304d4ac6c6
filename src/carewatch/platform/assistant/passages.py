"""The help articles cut into passages, one per `## ` section (pure: no Django).

An article is `content/<lang>/<service>/<slug>.md` (see the help centre's contract); its
front matter gives the title, the pages it explains and the words people use for it
(`keywords`, Hinglish and Tanglish welcome), which are searched with every passage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("en", "hi", "ta")
CONTENT_DIR = Path(__file__).resolve().parent.parent / "help" / "content"
_EXPLICIT_ANCHOR = re.compile(r"\s*\{#([\w-]+)\}\s*$")


@dataclass(frozen=True)
class Passage:
    lang: str
    service: str
    slug: str
    title: str
    heading: str
    anchor: str
    text: str
    keywords: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()

    @property
    def section(self) -> str:
        """The help article's URL path: what the assistant reports as its `section`."""
        return f"/help/{self.service}/{self.slug}/"

    @property
    def url(self) -> str:
        return f"{self.section}#{self.anchor}" if self.anchor else self.section


def load(content_dir: Path = CONTENT_DIR, lang: str | None = None) -> list[Passage]:
    langs = [lang] if lang else list(LANGUAGES)
    passages: list[Passage] = []
    for code in langs:
        for path in sorted((content_dir / code).glob("*/*.md")):
            text = path.read_text(encoding="utf-8")
            passages.extend(parse(code, path.parent.name, path.stem, text))
    return passages


def parse(lang: str, service: str, slug: str, source: str) -> list[Passage]:
    meta, body = _front_matter(source)
    title = str(meta.get("title", slug))
    keywords = tuple(_as_list(meta.get("keywords")))
    pages = tuple(_as_list(meta.get("pages")))
    passages = []
    for heading, anchor, text in _sections(body):
        passages.append(Passage(lang, service, slug, title, heading, anchor, text, keywords, pages))
    if not passages:  # an article without sections is one passage
        passages.append(
            Passage(lang, service, slug, title, title, "", body.strip(), keywords, pages)
        )
    return passages


def _front_matter(source: str) -> tuple[dict[str, str | list[str]], str]:
    lines = source.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, source
    meta: dict[str, str | list[str]] = {}
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return meta, "\n".join(lines[number + 1 :])
        key, _, value = line.partition(":")
        value = value.split("  #")[0].strip()
        if value.startswith("[") and value.endswith("]"):
            meta[key.strip()] = [
                v.strip().strip("\"'") for v in value[1:-1].split(",") if v.strip()
            ]
        else:
            meta[key.strip()] = value.strip("\"'")
    return {}, source


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return value if isinstance(value, list) else [v.strip() for v in value.split(",") if v.strip()]


def _sections(body: str) -> Iterable[tuple[str, str, str]]:
    heading = ""
    lines: list[str] = []
    for line in body.splitlines():
        if line.startswith("## "):
            if heading:
                yield _section(heading, lines)
            heading, lines = line[3:].strip(), []
        elif heading:
            lines.append(line)
    if heading:
        yield _section(heading, lines)


def _section(heading: str, lines: list[str]) -> tuple[str, str, str]:
    explicit = _EXPLICIT_ANCHOR.search(heading)
    if explicit:
        return heading[: explicit.start()].strip(), explicit.group(1), "\n".join(lines).strip()
    return heading, slugify(heading), "\n".join(lines).strip()


def slugify(heading: str) -> str:
    """Letters with their signs, digits and hyphens (Hindi and Tamil headings stay readable)."""
    words = re.findall(r"[\w\u0900-\u097f\u0b80-\u0bff]+", heading.casefold())
    return "-".join(words)
