"""`retina grade | evaluate | train | cputrain | export`.

grade and evaluate need only ONNX Runtime; train, cputrain and export import PyTorch
lazily (the `train` extra), each with its own options (`retina cputrain -h`).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from retina.infer import GradeResult, load_bundle
from retina.report import heatmap_overlay, plot_confusion, plot_roc, read_label_csv, summarise


def grade(args: argparse.Namespace) -> None:
    """Prints one JSON line per photo; heatmap PNGs only with --out (a folder of files
    appearing wherever the command happened to run surprised people)."""
    grader = load_bundle(args.bundle, args.device)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    for path, result in zip(args.images, grader.grade_many(args.images), strict=True):
        line = {"image": str(path), **result.summary()}
        if result.gradable and args.out is not None:
            overlay = args.out / f"{Path(path).stem}_heatmap.png"
            heatmap_overlay(result).save(overlay)
            line["heatmap_png"] = str(overlay)
        line.pop("quality")
        print(json.dumps(line))


def evaluate(args: argparse.Namespace) -> None:
    if args.data is not None:
        return evaluate_sets(args)
    if args.images is None or args.labels is None:
        raise SystemExit("Give --images DIR and --labels CSV, or --data FOLDER of sets.")
    grader = load_bundle(args.bundle, args.device)
    rows = read_label_csv(args.labels)
    results = grader.grade_many([args.images / row["image"] for row in rows], keep_images=False)
    report = summarise(rows, results)
    report["model_version"] = grader.version
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        graded = [(row, r) for row, r in zip(rows, results, strict=True) if r.gradable]
        truth = np.array([int(row["dr_grade"]) >= 2 for row, _ in graded])
        prob = np.array([r.referable_probability for _, r in graded], dtype=float)
        plot_confusion(report["confusion_matrix"], args.out / "confusion_matrix.png")
        plot_roc(truth, prob, grader.threshold, args.out / "roc.png")  # the default profile
        per_image = [
            {"image": row["image"], "dr_grade": row["dr_grade"], **r.summary()}
            for row, r in zip(rows, results, strict=True)
        ]
        (args.out / "report.json").write_text(json.dumps(report, indent=1))
        (args.out / "predictions.json").write_text(json.dumps(per_image, indent=1))
    for reason in sorted({r.reason for r in results if not r.gradable}):
        print(f"ungradable: {sum(r.reason == reason for r in results)} x {reason}")
    print(json.dumps({k: v for k, v in report.items() if k != "confusion_matrix"}))


def evaluate_sets(args: argparse.Namespace) -> None:
    """One metrics line per set: every folder of --data with a labels.csv."""
    grader = load_bundle(args.bundle, args.device)
    for labels in sorted(args.data.glob("*/labels.csv")):
        rows = read_label_csv(labels)
        if args.split != "all":
            rows = [r for r in rows if split_of_row(labels.parent.name, r) == args.split]
        paths = [labels.parent / row["image"] for row in rows]
        if args.quality_only:
            quality_lines(labels.parent.name, args.split, rows, grader.check_many(paths))
            continue
        report = summarise(rows, grader.grade_many(paths, keep_images=False))
        report.pop("confusion_matrix")
        line = {"set": labels.parent.name, "split": args.split, "model_version": grader.version}
        print(json.dumps(line | report), flush=True)


def quality_lines(
    dataset: str, split: str, rows: list[dict[str, str]], results: list[GradeResult]
) -> None:
    """Each photo the quality gate refuses (with its measures), then the set's count."""
    refused = [(row, r) for row, r in zip(rows, results, strict=True) if not r.gradable]
    for row, r in refused:
        measures = {k: round(v, 4) for k, v in r.quality.items()}
        line = {"set": dataset, "image": row["image"], "dr_grade": row["dr_grade"]}
        print(json.dumps(line | {"status": r.status, "reason": r.reason, "quality": measures}))
    reasons = Counter(r.reason for _, r in refused)
    summary = {"set": dataset, "split": split, "n": len(rows), "ungradable": len(refused)}
    print(json.dumps(summary | {"reasons": dict(sorted(reasons.items()))}), flush=True)


def split_of_row(dataset: str, row: dict[str, str]) -> str:
    from retina.data import split_of

    return split_of(dataset, row.get("patient") or row["image"])


# Commands that need PyTorch: each module parses its own options.
TORCH_COMMANDS = {"train": "retina.train", "cputrain": "retina.cputrain", "export": "retina.export"}


def torch_command(name: str, argv: list[str]) -> None:
    try:
        module = importlib.import_module(TORCH_COMMANDS[name])
    except ModuleNotFoundError as exc:
        if exc.name != "torch":
            raise
        raise SystemExit(
            f"retina {name} needs PyTorch, an optional extra: run `uv sync --extra train` first."
        ) from None
    module.main(argv)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] and argv[0] in TORCH_COMMANDS:
        return torch_command(argv[0], argv[1:])
    parser = argparse.ArgumentParser(prog="retina", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("train", help="train a model (needs the 'train' extra); see retina train -h")
    sub.add_parser(
        "cputrain",
        help="train the top of the shipped model on a CPU from cached features (needs the "
        "'train' extra); see retina cputrain -h",
    )
    sub.add_parser("export", help="export a checkpoint to ONNX; see retina export -h")
    g = sub.add_parser("grade", help="grade fundus photos (and write heatmaps with --out)")
    g.add_argument("images", nargs="+", type=Path)
    g.add_argument("--out", type=Path, help="write heatmap PNGs into this folder (none without)")
    e = sub.add_parser("evaluate", help="metrics against a labels CSV (image,dr_grade)")
    e.add_argument("--images", type=Path)
    e.add_argument("--labels", type=Path)
    e.add_argument("--data", type=Path, help="a folder of sets (each with labels.csv)")
    e.add_argument("--split", default="all", choices=["all", "train", "val"], help="with --data")
    e.add_argument(
        "--quality-only",
        action="store_true",
        help="with --data: only the quality gate, no model; lists each photo it refuses",
    )
    e.add_argument("--out", type=Path)
    for p in (g, e):
        p.add_argument("--bundle", type=Path, help="bundle folder (default: the shipped one)")
        p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    args = parser.parse_args(argv)
    {"grade": grade, "evaluate": evaluate}[args.command](args)


if __name__ == "__main__":
    main()
