"""The help files: every one parses, every language has the same articles and sections,
and a malformed file is refused with a sentence that names it."""

from pathlib import Path

import pytest

from carewatch.platform.help import articles
from carewatch.platform.help.articles import BadArticle, load, page_match, parse
from carewatch.platform.help.render import article_html, markdown

CONTRACT = [
    "kids/getting-started", "kids/watch-setup", "kids/phone-apps", "kids/live-map",
    "kids/safe-places", "kids/alerts", "kids/sos", "kids/battery-offline",
    "kids/location-history", "shop/choosing", "shop/orders-payment", "shop/delivery",
    "shop/returns", "shop/questions-reviews", "eyes/about-screening", "eyes/booking",
    "eyes/grades", "eyes/referral", "eyes/report-access", "eyes/privacy",
    "account/sign-in", "account/privacy", "account/contact",
]  # fmt: skip

GOOD = """---
title: Safe places
summary: Draw a place.
pages: [kids/tracker/family/*/places]   # a comment
keywords: [geofence, "zone"]
---
Intro text.

## Add a place {#add}

Tap the map.

## Why no alert?

Because.
"""


def test_it_loads_every_article_of_the_contract_in_english() -> None:
    keys = {f"{s}/{slug}" for s, slug in load().keys("en")}
    assert keys == set(CONTRACT)


@pytest.mark.parametrize("lang", ["hi", "ta"])
def test_it_has_the_same_articles_and_anchors_in_every_language(lang: str) -> None:
    library = load()
    assert library.keys(lang) == library.keys("en")
    for english in library.in_language("en"):
        other = library.get(lang, *english.key)
        assert other is not None
        assert [p.anchor for p in other.passages] == [p.anchor for p in english.passages], (
            english.key
        )
        assert other.pages == english.pages, english.key


def test_every_article_has_a_title_summary_and_sections_and_renders() -> None:
    for article in load().articles.values():
        assert article.title and article.summary, article
        assert any(p.anchor for p in article.passages), article
        assert "<h2 id=" in article_html(article)


def test_it_parses_the_front_matter_and_cuts_passages_at_headings() -> None:
    article = parse(GOOD, lang="en", service="kids", slug="safe-places")
    assert article.pages == ("kids/tracker/family/*/places",)
    assert article.keywords == ("geofence", "zone")
    assert [(p.heading, p.anchor) for p in article.passages] == [
        ("Safe places", ""), ("Add a place", "add"), ("Why no alert?", "why-no-alert"),
    ]  # fmt: skip
    assert article.path == "/help/kids/safe-places/"
    add = article.passage("add")
    assert add is not None and add.text == "Tap the map."


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("title: x\n", "must start with a front-matter block"),
        ("---\ntitle: x\n", "no closing"),
        ("---\ntitle: x\nsummary: y\npages: []\n---\n## A\nb\n", "needs keywords"),
        ("---\ntitel: x\n---\n", "expected one of"),
        ("---\ntitle: x\nsummary: y\npages: a, b\nkeywords: []\n---\n", "must be a list"),
        ("---\ntitle: x\nsummary: y\npages: [/kids]\nkeywords: []\n---\n## A\nb\n", "page"),
        ("---\ntitle: x\nsummary: y\npages: []\nkeywords: []\n---\nno heading\n", "at least one"),
        ("---\ntitle: x\nsummary: y\npages: []\nkeywords: []\n---\n## A\n## B\nc\n", "is empty"),
        ("---\ntitle: x\nsummary: y\npages: []\nkeywords: []\n---\n## बच्चा\nc\n", "anchor"),
        ("---\ntitle: x\nsummary: y\npages: []\nkeywords: []\n---\n## A\nc\n## A\nd\n", "same"),
    ],
)
def test_it_refuses_a_malformed_file_naming_it_and_the_fix(text: str, says: str) -> None:
    with pytest.raises(BadArticle, match=says) as error:
        parse(text, lang="hi", service="kids", slug="sos")
    assert "hi/kids/sos.md" in str(error.value)


def test_a_heading_inside_a_code_fence_is_not_a_section() -> None:
    text = GOOD + "\n```\n## not a heading\n```\n"
    article = parse(text, lang="en", service="kids", slug="x")
    assert [p.anchor for p in article.passages] == ["", "add", "why-no-alert"]


def test_it_refuses_a_file_in_the_wrong_folder(tmp_path: Path) -> None:
    (tmp_path / "fr" / "kids").mkdir(parents=True)
    (tmp_path / "fr" / "kids" / "sos.md").write_text(GOOD)
    with pytest.raises(BadArticle, match="expected <en|hi|ta>"):
        load(tmp_path)


def test_markdown_escapes_raw_html_and_refuses_script_links() -> None:
    html = markdown("<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:x)")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_page_prefixes_match_segments_with_wildcards() -> None:
    assert page_match("kids/tracker/family/*/map", "/kids/tracker/family/7/map/") == 5
    assert page_match("kids/tracker", "/kids/tracker/family/7/map/") == 2
    assert page_match("kids/tracker/family/*/map", "/kids/tracker/") == 0
    assert page_match("eyes", "/eyesore/") == 0


def test_it_finds_the_article_for_a_page_most_specific_first() -> None:
    library = articles.library()
    found = library.for_page("/kids/tracker/family/3/places/new/", "ta")
    assert found is not None and found.key == ("kids", "safe-places") and found.lang == "ta"
    dashboard = library.for_page("/kids/tracker/")
    assert dashboard is not None and dashboard.key == ("kids", "getting-started")
    assert library.for_page("/") is None


@pytest.mark.parametrize(
    ("lang", "urgent", "doctor"),
    [
        ("en", "urgent referral", "doctor"),
        ("hi", "तुरंत रेफ़रल", "डॉक्टर"),
        ("ta", "உடனடிப் பரிந்துரை", "மருத்துவர்"),
    ],
)
def test_the_referral_article_says_what_an_urgent_referral_is_and_that_a_doctor_confirms_it(
    lang: str, urgent: str, doctor: str
) -> None:
    article = load().get(lang, "eyes", "referral")
    assert article is not None
    passage = next(p for p in article.passages if p.anchor == "urgent-referral")
    assert urgent in passage.text.lower() and doctor in passage.text
