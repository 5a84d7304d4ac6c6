"""`carewatch assistant ask` prints one JSON object (pure: no database)."""

from __future__ import annotations

import json

import pytest

from carewatch.cli import main


def ask(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["assistant", "ask", *args]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    result = json.loads(out[0])
    assert isinstance(result, dict)
    return result


def test_it_prints_kind_section_answer_and_score(capsys: pytest.CaptureFixture[str]) -> None:
    result = ask(capsys, "--lang", "ta", "--page", "/kids/tracker/", "என் குழந்தையை காணவில்லை")
    assert {"kind", "section", "answer", "score"} <= result.keys()
    assert result["kind"] == "emergency"
    assert result["section"] == "/help/kids/sos/"
    assert "112" in str(result["answer"])


def test_an_unknown_language_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["assistant", "ask", "--lang", "fr", "bonjour"])
    assert "invalid choice" in capsys.readouterr().err
