"""The conformance file replayed through `carewatch gateway decode`, as support would.

conformance.jsonl holds one case a line: the request the tool reads and the part of
its answer that must match (a message's keys and attributes are checked as given;
the others may hold anything). Add real devices' messages to it as they come.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

from carewatch import cli

CASES = Path(__file__).with_name("conformance.jsonl")


def contains(actual: Any, expected: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and contains(actual[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(contains(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return bool(actual == expected)


def test_every_conformance_case_decodes_as_expected(tmp_path: Path) -> None:
    cases = [json.loads(line) for line in CASES.read_text().splitlines() if line.strip()]
    requests = tmp_path / "requests.jsonl"
    requests.write_text("".join(json.dumps(case["request"]) + "\n" for case in cases))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["gateway", "decode", str(requests)]) == 0
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(answers) == len(cases)
    for case, answer in zip(cases, answers, strict=True):
        assert answer["error"] is None or "error" in case["expect"], (case, answer)
        assert contains(answer, case["expect"]), (case["request"], answer)


def test_the_matcher_can_fail() -> None:
    assert not contains({"messages": [{"alarms": ["sos"]}]}, {"messages": [{"alarms": []}]})
    assert not contains({"messages": []}, {"messages": [{}]})
    assert contains({"a": 1, "b": 2}, {"a": 1})
