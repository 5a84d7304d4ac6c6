"""The assistant's evaluation questions (bench/assistant_questions): well formed, labelled
with real help sections, spread over every article, enough of each kind, not copied."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from carewatch.platform.help.articles import library

QUESTIONS = Path(__file__).parents[3] / "bench" / "assistant_questions"
KINDS = {"answer", "out_of_scope", "medical", "emergency", "handover"}
AT_LEAST = {"answer": 90, "out_of_scope": 22, "medical": 12, "emergency": 12, "handover": 3}


def rows(lang: str) -> list[dict[str, Any]]:
    lines = (QUESTIONS / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize("lang", ["en", "hi", "ta"])
def test_every_question_is_well_formed_and_labelled_with_a_real_section(lang: str) -> None:
    sections = {a.path for a in library().in_language(lang)}
    for row in rows(lang):
        assert set(row) <= {"q", "kind", "section", "page"}, row
        assert row["kind"] in KINDS and row["q"].strip(), row
        assert ("section" in row) == (row["kind"] == "answer"), row
        if row["kind"] == "answer":
            assert row["section"] in sections, row
        if "page" in row:
            assert row["page"].startswith("/") and row["page"].endswith("/"), row


@pytest.mark.parametrize("lang", ["en", "hi", "ta"])
def test_each_language_has_enough_questions_of_each_kind_over_every_article(lang: str) -> None:
    counts = Counter(row["kind"] for row in rows(lang))
    for kind, least in AT_LEAST.items():
        assert counts[kind] >= least, (kind, counts)
    per_section = Counter(row["section"] for row in rows(lang) if row["kind"] == "answer")
    for article in library().in_language(lang):
        assert per_section[article.path] >= 3, article.path


@pytest.mark.parametrize("lang", ["en", "hi", "ta"])
def test_no_question_is_repeated_or_copied_from_the_help_text(lang: str) -> None:
    questions = [row["q"].lower() for row in rows(lang)]
    assert len(set(questions)) == len(questions)
    text = " ".join(
        f"{a.title} {a.summary} " + " ".join(f"{p.heading} {p.text}" for p in a.passages)
        for a in library().articles.values()
    ).lower()
    copied = [q for q in questions if len(q) > 25 and q in text]
    assert not copied
