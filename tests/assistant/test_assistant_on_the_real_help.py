"""The assistant over the help centre's real articles (pure: no database)."""

from __future__ import annotations

import pytest

from carewatch.platform.assistant import engine
from carewatch.platform.assistant.passages import LANGUAGES, load

PASSAGES = load()


def test_every_language_has_the_same_articles() -> None:
    sections = {lang: {p.section for p in PASSAGES if p.lang == lang} for lang in LANGUAGES}
    assert sections["en"] and sections["hi"] == sections["en"] == sections["ta"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_asking_an_articles_title_finds_that_article(lang: str) -> None:
    assistant = engine.default()
    titles = {p.section: p.title for p in PASSAGES if p.lang == lang}
    found = [s for s, title in titles.items() if s in assistant.ask(title, lang).sections[:3]]
    assert len(found) >= 0.9 * len(titles), sorted(set(titles) - set(found))


def test_a_tamil_question_on_the_live_map_gets_the_live_map_help() -> None:
    reply = engine.default().ask(
        "வரைபடத்தில் என் குழந்தையின் இடம் ஏன் பழையதாகக் காட்டுகிறது?",
        "ta",
        "/kids/tracker/family/7/map/",
    )
    assert (reply.kind, reply.section) == ("answer", "/help/kids/live-map/")
    assert reply.answer and reply.passage is not None and reply.passage.lang == "ta"


def test_answers_are_plain_text_without_markdown_marks() -> None:
    reply = engine.default().ask("how do I open the live map", "en")
    assert "**" not in reply.answer and "](" not in reply.answer
