"""Evaluation against a labels CSV, and the PNG figures (confusion matrix, ROC, heatmap)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from retina import metrics
from retina.infer import GradeResult


def read_label_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or "image" not in rows[0] or "dr_grade" not in rows[0]:
        raise SystemExit(f"{path} needs the columns image,dr_grade (and optionally dme_risk).")
    return rows


def summarise(
    rows: list[dict[str, str]], results: list[GradeResult], threshold: float | None = None
) -> dict[str, Any]:
    """Metrics over the gradable images; ungradable and invalid ones are counted apart.

    Sensitivity and specificity are those of the `referable` flags the grader set (each
    photo at its camera profile's threshold), unless one `threshold` is given.
    """
    graded = [(row, r) for row, r in zip(rows, results, strict=True) if r.gradable]
    truth = np.array([int(row["dr_grade"]) for row, _ in graded], dtype=int)
    pred = np.array([r.grade for _, r in graded], dtype=int)
    prob = np.array([r.referable_probability for _, r in graded], dtype=float)
    flagged = (
        prob >= threshold
        if threshold is not None
        else np.array([bool(r.referable) for _, r in graded])
    )
    sens, spec = metrics.sensitivity_specificity(truth >= 2, flagged)
    report: dict[str, Any] = {
        "n": len(rows),
        "graded": len(graded),
        "ungradable": len(rows) - len(graded),
        "qwk": metrics.quadratic_kappa(truth, pred),
        "accuracy": metrics.accuracy(truth, pred),
        "referable_auc": metrics.roc_auc(truth >= 2, prob),
        "profiles": sorted({r.profile for _, r in graded}),
        "sensitivity": sens,
        "specificity": spec,
        "threshold_for_90_sensitivity": metrics.threshold_for_sensitivity(truth >= 2, prob),
        "confusion_matrix": metrics.confusion_matrix(truth, pred, 5).tolist(),
    }
    if threshold is not None:
        report["threshold"] = threshold
    dme = [(int(row["dme_risk"]), r.dme_risk) for row, r in graded if row.get("dme_risk")]
    if dme:
        report["dme_accuracy"] = metrics.accuracy(*map(np.array, zip(*dme, strict=True)))
    if any(r.urgent is not None for _, r in graded):  # bundles before 2.0.0 have no flag
        report |= urgent_figures(graded)
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in report.items()}


def urgent_truth(row: dict[str, str]) -> bool:
    """Vision-threatening DR: severe NPDR or PDR, or exudates within one disc diameter."""
    return int(row["dr_grade"]) >= 3 or row.get("dme_risk", "") == "2"


def urgent_figures(graded: list[tuple[dict[str, str], GradeResult]]) -> dict[str, float]:
    truth = np.array([urgent_truth(row) for row, _ in graded], dtype=bool)
    flagged = np.array([bool(r.urgent) for _, r in graded], dtype=bool)
    prob = np.array([r.urgent_probability or 0.0 for _, r in graded], dtype=float)
    sens, spec = metrics.sensitivity_specificity(truth, flagged)
    return {
        "urgent_sensitivity": sens,
        "urgent_specificity": spec,
        "urgent_auc": metrics.roc_auc(truth, prob),
    }


def plot_confusion(matrix: list[list[int]], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.imshow(matrix, cmap="Blues")
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            ax.text(j, i, str(value), ha="center", va="center", fontsize=9)
    ax.set(xlabel="predicted ICDR grade", ylabel="true ICDR grade", title="Confusion matrix")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)


def plot_roc(positive: np.ndarray, score: np.ndarray, threshold: float, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fpr, tpr, _ = metrics.roc_curve(positive, score)
    sens, spec = metrics.sensitivity_specificity(positive, score >= threshold)
    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.plot(fpr, tpr, label=f"AUC {metrics.roc_auc(positive, score):.3f}")
    ax.plot([1 - spec], [sens], "o", label=f"threshold {threshold:.3f}")
    ax.plot([0, 1], [0, 1], ":", color="grey")
    ax.set(xlabel="1 - specificity", ylabel="sensitivity", title="Referable DR (grade >= 2)")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)


def heatmap_overlay(result: GradeResult) -> Image.Image:
    """The cropped photo with the activation map blended in red-yellow."""
    assert result.image is not None and result.heatmap is not None
    heat = result.heatmap.astype(np.float32) / 255
    colour = np.stack([np.ones_like(heat), heat, np.zeros_like(heat)], axis=-1) * 255
    alpha = 0.7 * heat[..., None] ** 0.7
    blended = result.image.astype(np.float32) * (1 - alpha) + colour * alpha
    return Image.fromarray(blended.clip(0, 255).astype(np.uint8))
