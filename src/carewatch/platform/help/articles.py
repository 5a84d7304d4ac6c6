"""The help articles: files parsed into Article objects. Plain Python, no Django.

A file is `content/<lang>/<service>/<slug>.md`: a front-matter block (title, summary, pages,
keywords), then Markdown whose `## ` headings cut it into passages (the help page's
sections, and what the assistant quotes). The contract shared with the assistant and the
support inbox is HELP_CONTRACT.md; a file that breaks it fails loudly, naming the file and
what to fix, never silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "hi", "ta")
DEFAULT_LANGUAGE = "en"
SERVICES = ("kids", "shop", "eyes", "account")
CONTENT = Path(__file__).parent / "content"
# The contract's articles in reading order (the help index lists them so).
ORDER = (
    "kids/getting-started", "kids/watch-setup", "kids/phone-apps", "kids/live-map",
    "kids/safe-places", "kids/alerts", "kids/sos", "kids/battery-offline",
    "kids/location-history", "shop/choosing", "shop/orders-payment", "shop/delivery",
    "shop/returns", "shop/questions-reviews", "eyes/about-screening", "eyes/booking",
    "eyes/grades", "eyes/referral", "eyes/report-access", "eyes/privacy",
    "account/sign-in", "account/privacy", "account/contact",
)  # fmt: skip
FIELDS = ("title", "summary", "pages", "keywords")
LISTS = ("pages", "keywords")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADING = re.compile(r"^##\s+(?P<text>.+?)(?:\s*\{#(?P<anchor>[^}]*)\})?\s*$")
PAGE = re.compile(r"^[a-z0-9*_-]+(?:/[a-z0-9*_-]+)*$")


class BadArticle(ValueError):
    """A help file that does not follow the contract; the message names the file."""


@dataclass(frozen=True)
class Passage:
    heading: str
    anchor: str  # "" for the introduction above the first heading
    text: str  # Markdown


@dataclass(frozen=True)
class Article:
    lang: str
    service: str
    slug: str
    title: str
    summary: str
    pages: tuple[str, ...]
    keywords: tuple[str, ...]
    passages: tuple[Passage, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.service, self.slug)

    @property
    def path(self) -> str:
        """The help page's URL path, the assistant's `section`."""
        return f"/help/{self.service}/{self.slug}/"

    def passage(self, anchor: str) -> Passage | None:
        return next((p for p in self.passages if p.anchor == anchor), None)


def slugify(heading: str) -> str:
    """An anchor from a heading: ASCII letters and digits joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", heading.lower()))


def parse(text: str, *, lang: str, service: str, slug: str, source: str = "") -> Article:
    """One article from a file's text; BadArticle says what is wrong and where."""
    where = source or f"{lang}/{service}/{slug}.md"
    try:
        meta, body = _split_front_matter(text)
        scalars, lists = _parse_front_matter(meta)
        passages = _passages(body, scalars["title"])
    except BadArticle as error:
        raise BadArticle(f"{where}: {error}") from None
    return Article(
        lang, service, slug, scalars["title"], scalars["summary"],
        tuple(lists["pages"]), tuple(lists["keywords"]), passages,
    )  # fmt: skip


def _split_front_matter(text: str) -> tuple[list[str], str]:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise BadArticle("the file must start with a front-matter block: a line '---'.")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    except StopIteration:
        raise BadArticle("the front-matter block has no closing '---' line.") from None
    return lines[1:end], "\n".join(lines[end + 1 :])


def _parse_front_matter(lines: list[str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    scalars: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    for number, line in enumerate(lines, 2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, colon, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or name not in FIELDS:
            raise BadArticle(f"line {number}: expected one of {', '.join(FIELDS)} then ':'.")
        if name in scalars or name in lists:
            raise BadArticle(f"line {number}: '{name}' is given twice.")
        if name in LISTS:
            lists[name] = _list(value, name, number)
        else:
            scalars[name] = value
    missing = [name for name in FIELDS if not (scalars.get(name) or name in lists)]
    if missing:
        raise BadArticle(f"the front matter needs {', '.join(missing)}.")
    for page in lists["pages"]:
        if not PAGE.match(page):
            raise BadArticle(f"page '{page}' is not a URL path prefix such as kids/tracker.")
    return scalars, lists


def _list(value: str, name: str, number: int) -> list[str]:
    """`[a, b]`, with an optional `# comment` after the closing bracket."""
    if not value.startswith("[") or "]" not in value:
        raise BadArticle(f"line {number}: '{name}' must be a list such as [a, b].")
    inner, _, rest = value[1:].partition("]")
    if rest.strip() and not rest.strip().startswith("#"):
        raise BadArticle(f"line {number}: unexpected text after the list of '{name}'.")
    items = [item.strip().strip("\"'").strip() for item in inner.split(",")]
    return [item for item in items if item]


def _passages(body: str, title: str) -> tuple[Passage, ...]:
    passages: list[Passage] = []
    heading, anchor, lines = title, "", list[str]()
    for line in _outside_fences(body):
        match = HEADING.match(line[1]) if not line[0] else None
        if match:
            passages += _passage(heading, anchor, lines)
            heading = match["text"].strip()
            anchor = match["anchor"] if match["anchor"] is not None else slugify(heading)
            if not SLUG.match(anchor):
                raise BadArticle(f"heading '{heading}' needs an anchor such as {{#sim-card}}.")
            lines = []
        else:
            lines.append(line[1])
    passages += _passage(heading, anchor, lines)
    anchors = [p.anchor for p in passages]
    if len(set(anchors)) != len(anchors):
        raise BadArticle("two headings have the same anchor; give one an explicit {#anchor}.")
    if not any(p.anchor for p in passages):
        raise BadArticle("the article needs at least one '## ' heading.")
    return tuple(passages)


def _passage(heading: str, anchor: str, lines: list[str]) -> list[Passage]:
    text = "\n".join(lines).strip()
    if anchor and not text:
        raise BadArticle(f"the section '{heading}' is empty.")
    return [Passage(heading, anchor, text)] if text else []


def _outside_fences(body: str) -> Iterator[tuple[bool, str]]:
    """(inside a code fence, line): a '## ' inside a fence is not a heading."""
    fenced = False
    for line in body.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        yield fenced, line


# --- The library: every file of every language -------------------------------------------


@dataclass
class Library:
    articles: dict[tuple[str, str, str], Article] = field(default_factory=dict)

    def get(self, lang: str, service: str, slug: str) -> Article | None:
        return self.articles.get((lang, service, slug))

    def find(self, lang: str, service: str, slug: str) -> Article | None:
        """The article in `lang`, else in English (the caller says so to the reader)."""
        return self.get(lang, service, slug) or self.get(DEFAULT_LANGUAGE, service, slug)

    def in_language(self, lang: str) -> list[Article]:
        """The articles in `lang`, in reading order."""
        found = [a for (code, _, _), a in self.articles.items() if code == lang]
        return sorted(found, key=_reading_order)

    def keys(self, lang: str) -> set[tuple[str, str]]:
        return {a.key for a in self.in_language(lang)}

    def for_page(self, path: str, lang: str = DEFAULT_LANGUAGE) -> Article | None:
        """The article that explains the page at `path`: the longest matching `pages` entry."""
        best, best_length = None, 0
        for article in self.in_language(DEFAULT_LANGUAGE):
            for pattern in article.pages:
                length = page_match(pattern, path)
                if length > best_length:
                    best, best_length = article, length
        return self.find(lang, *best.key) if best else None


def _reading_order(article: Article) -> tuple[int, str]:
    name = f"{article.service}/{article.slug}"
    return (ORDER.index(name) if name in ORDER else len(ORDER), name)


def page_match(pattern: str, path: str) -> int:
    """How many segments of `path` the prefix `pattern` matches (0: none); `*` matches any
    one segment, so kids/tracker/family/*/map matches /kids/tracker/family/7/map/."""
    want = pattern.strip("/").split("/")
    have = [part for part in path.split("?")[0].strip("/").split("/") if part]
    if len(have) < len(want):
        return 0
    if all(w == "*" or w == h for w, h in zip(want, have, strict=False)):
        return len(want)
    return 0


def load(root: Path = CONTENT) -> Library:
    """Every article under `root`; BadArticle for the first file that breaks the contract."""
    library = Library()
    for path in _files(root):
        lang, service, name = path.relative_to(root).parts
        slug = name.removesuffix(".md")
        if lang not in LANGUAGES or service not in SERVICES or not SLUG.match(slug):
            raise BadArticle(f"{path}: expected <{'|'.join(LANGUAGES)}>/<service>/<slug>.md.")
        text = path.read_text(encoding="utf-8")
        library.articles[(lang, service, slug)] = parse(
            text, lang=lang, service=service, slug=slug, source=str(path)
        )
    return library


def _files(root: Path) -> Iterable[Path]:
    return sorted(p for p in root.glob("*/*/*.md") if p.is_file())


@cache
def library() -> Library:
    """The shipped articles, read once per process."""
    return load()
