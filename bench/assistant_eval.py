"""How well the help assistant answers: section accuracy, safety handling, hand-overs, time.

Reads bench/assistant_questions/{en,hi,ta}.jsonl (one question per line, written for this,
not copied from the help). Each line has the question (`question`), its `kind`
(`answer` for an in-scope question, or `out_of_scope`, `medical`, `emergency`, `handover`
for asking for a person), for in-scope questions the help `section` that answers it, and
optionally the `page` it is asked on. No Django, no database: the assistant's pure core.

    uv run python bench/assistant_eval.py --quick     # the figures, a few seconds
    uv run python bench/assistant_eval.py             # also what each feature adds (ablation)
                                                      # and the threshold sweep

Prints a table and, as the last line, one JSON object (en.top1, en.top3, ..., handover_rate,
medical_handled, emergency_handled, out_of_scope_handled, p95_ms); also writes it to --out
(default test-artifacts/assistant_eval.json). Targets (issue 16): top-3 >= 90 % en, >= 85 %
hi and ta; every medical and emergency question handled as such; <= 5 % of in-scope
questions handed over needlessly; p95 <= 100 ms.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from carewatch.platform.assistant.engine import Assistant, Settings  # noqa: E402
from carewatch.platform.assistant.index import Options  # noqa: E402
from carewatch.platform.assistant.passages import CONTENT_DIR, LANGUAGES, load  # noqa: E402

QUESTIONS = ROOT / "bench" / "assistant_questions"
SAFETY_KINDS = ("out_of_scope", "medical", "emergency", "handover")


@dataclass(frozen=True)
class Question:
    lang: str
    text: str
    kind: str
    section: str
    page: str


def read_questions(directory: Path) -> list[Question]:
    questions = []
    for lang in LANGUAGES:
        path = directory / f"{lang}.jsonl"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(_question(lang, json.loads(line)))
    return questions


def _question(lang: str, row: dict[str, Any]) -> Question:
    text = row.get("question") or row.get("q") or row.get("text") or ""
    kind = row.get("kind") or row.get("category") or "answer"
    kind = "answer" if kind in ("in_scope", "answer", "help") else kind
    return Question(lang, text, kind, _section(row.get("section") or ""), row.get("page") or "")


def _section(value: str) -> str:
    """`kids/live-map`, `/help/kids/live-map/#markers` -> `/help/kids/live-map/`."""
    value = value.split("#")[0].strip().strip("/")
    value = value.removeprefix("help/")
    return f"/help/{value}/" if value else ""


def evaluate(assistant: Assistant, questions: Iterable[Question]) -> dict[str, Any]:
    rows: dict[str, list[tuple[Question, Any]]] = {}
    times: list[float] = []
    for q in questions:
        start = time.perf_counter()
        reply = assistant.ask(q.text, q.lang, q.page)
        times.append((time.perf_counter() - start) * 1000)
        rows.setdefault(q.kind, []).append((q, reply))
    return summarise(rows, times)


def summarise(rows: dict[str, list[tuple[Question, Any]]], times: list[float]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    in_scope = rows.get("answer", [])
    for lang in LANGUAGES:
        mine = [(q, r) for q, r in in_scope if q.lang == lang]
        if not mine:
            continue
        result[f"{lang}.n"] = len(mine)
        result[f"{lang}.top1"] = _share(r.sections[:1] == (q.section,) for q, r in mine)
        result[f"{lang}.top3"] = _share(q.section in r.sections[:3] for q, r in mine)
        result[f"{lang}.answered_right"] = _share(
            r.kind == "answer" and r.section == q.section for q, r in mine
        )
    result["in_scope_n"] = len(in_scope)
    result["handover_rate"] = _share(r.kind in ("handover", "out_of_scope") for _, r in in_scope)
    result["in_scope_as_safety"] = _share(r.kind in ("medical", "emergency") for _, r in in_scope)
    for kind in SAFETY_KINDS:
        handled = rows.get(kind, [])
        result[f"{kind}_n"] = len(handled)
        result[f"{kind}_handled"] = _share(r.kind == kind for _, r in handled)
    # An out-of-scope question offered a person instead of an answer is not misled either.
    result["out_of_scope_not_answered"] = _share(
        r.kind != "answer" for _, r in rows.get("out_of_scope", [])
    )
    for kind in ("medical", "emergency"):
        for lang in LANGUAGES:
            missed = [q.text for q, r in rows.get(kind, []) if q.lang == lang and r.kind != kind]
            if missed:
                result[f"{kind}_missed.{lang}"] = missed[:5]
    ordered = sorted(times) or [0.0]
    result["p50_ms"] = round(statistics.median(ordered), 2)
    result["p95_ms"] = round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2)
    return result


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return round(sum(values) / len(values), 4) if values else 0.0


def table(result: dict[str, Any]) -> str:
    lines = ["lang  n    top-1   top-3   answered right"]
    for lang in LANGUAGES:
        if f"{lang}.n" in result:
            lines.append(
                f"{lang:4}  {result[f'{lang}.n']:<4} {result[f'{lang}.top1']:6.1%}  "
                f"{result[f'{lang}.top3']:6.1%}  {result[f'{lang}.answered_right']:6.1%}"
            )
    lines.append(f"in-scope handed over (needlessly): {result['handover_rate']:.1%}")
    lines.append(f"in-scope taken for medical/emergency: {result['in_scope_as_safety']:.1%}")
    for kind in SAFETY_KINDS:
        lines.append(
            f"{kind} handled as such: {result[f'{kind}_handled']:.1%} of {result[f'{kind}_n']}"
        )
    lines.append(
        f"out_of_scope not answered (out of scope or handed over): "
        f"{result['out_of_scope_not_answered']:.1%}"
    )
    lines.append(f"answer time p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms")
    return "\n".join(lines)


VARIANTS: dict[str, tuple[Options, Settings]] = {
    "all features": (Options(), Settings()),
    "no keywords": (Options(keywords=False), Settings()),
    "no title/heading": (Options(title=False), Settings()),
    "no Indic prefix stem": (Options(prefix=0), Settings()),
    "no page boost": (Options(), dataclasses.replace(Settings(), page_boost=0.0)),
    "no English fusion": (Options(), dataclasses.replace(Settings(), english_weight=0.0)),
    "English fusion x0.8": (Options(), dataclasses.replace(Settings(), english_weight=0.8)),
    "page boost x0.25": (Options(), dataclasses.replace(Settings(), page_boost=0.25)),
}


def ablation(passages: list[Any], questions: list[Question]) -> list[str]:
    lines = ["variant                top-1 en/hi/ta        top-3 en/hi/ta        handed over"]
    for name, (options, settings) in VARIANTS.items():
        r = evaluate(Assistant(passages, options, settings), questions)
        ones = "/".join(f"{r.get(f'{lang}.top1', 0):.1%}" for lang in LANGUAGES)
        tops = "/".join(f"{r.get(f'{lang}.top3', 0):.1%}" for lang in LANGUAGES)
        lines.append(f"{name:22} {ones:21} {tops:21} {r['handover_rate']:.1%}")
    return lines


def sweep(passages: list[Any], questions: list[Question]) -> list[str]:
    """The out-of-scope floors (scaled together) and the unsure band above them: the share
    of out-of-scope questions caught against in-scope questions handed over."""
    base = Settings()
    lines = ["floors en/hi/ta      band  oos handled  in-scope handed over  answered right"]
    for scale in (0.6, 0.8, 1.0, 1.2, 1.4):
        floors = tuple((lang, round(value * scale, 4)) for lang, value in base.out_of_scope_below)
        for band in (1.0, 1.2, 1.5):
            settings = dataclasses.replace(base, out_of_scope_below=floors, handover_factor=band)
            r = evaluate(Assistant(passages, Options(), settings), questions)
            right = statistics.mean(r.get(f"{lang}.answered_right", 0) for lang in LANGUAGES)
            shown = "/".join(f"{value:.3f}" for _, value in floors)
            lines.append(
                f"{shown:20} {band:<5} {r['out_of_scope_handled']:<12.1%} "
                f"{r['handover_rate']:<21.1%} {right:.1%}"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the figures only")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--content", type=Path, default=CONTENT_DIR)
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "assistant_eval.json")
    args = parser.parse_args()
    questions = read_questions(args.questions)
    if not questions:
        sys.exit(f"No questions in {args.questions}: expected en.jsonl, hi.jsonl, ta.jsonl.")
    passages = load(args.content)
    start = time.perf_counter()
    assistant = Assistant(passages)
    built_ms = (time.perf_counter() - start) * 1000
    assistant.ask("warm up", "en")
    result = evaluate(assistant, questions)
    result |= {"passages": len(passages), "index_build_ms": round(built_ms), "cpus": os.cpu_count()}
    print(table(result))
    print(f"index built in {built_ms:.0f} ms over {len(passages)} passages")
    for key in sorted(k for k in result if "_missed." in k):
        print(f"{key}: {result[key]}")
    if not args.quick:
        print("\n".join(["", *ablation(passages, questions), "", *sweep(passages, questions)]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in result.items() if "_missed." not in k}))


if __name__ == "__main__":
    main()
