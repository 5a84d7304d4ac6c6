"""Screening metrics in plain numpy (no scikit-learn needed to serve or evaluate)."""

from __future__ import annotations

import numpy as np


def confusion_matrix(truth: np.ndarray, pred: np.ndarray, classes: int) -> np.ndarray:
    """Rows are the true class, columns the predicted class."""
    matrix = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(truth, int), np.asarray(pred, int)), 1)
    return matrix


def quadratic_kappa(truth: np.ndarray, pred: np.ndarray, classes: int = 5) -> float:
    """Cohen's kappa with quadratic weights, the Kaggle DR metric."""
    observed = confusion_matrix(truth, pred, classes).astype(float)
    n = observed.sum()
    if n == 0:
        return float("nan")
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / n
    i, j = np.indices((classes, classes))
    weights = (i - j) ** 2 / (classes - 1) ** 2
    denominator = (weights * expected).sum()
    return 1.0 - (weights * observed).sum() / denominator if denominator else 1.0


def accuracy(truth: np.ndarray, pred: np.ndarray) -> float:
    truth, pred = np.asarray(truth), np.asarray(pred)
    return float((truth == pred).mean()) if truth.size else float("nan")


def roc_curve(positive: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """False-positive rate, true-positive rate and the thresholds (score >= t is positive)."""
    positive = np.asarray(positive, bool)
    order = np.argsort(-np.asarray(score, float), kind="stable")
    score, positive = np.asarray(score, float)[order], positive[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(score)), score.size - 1]
    tp = np.cumsum(positive)[last_of_tie]
    fp = np.cumsum(~positive)[last_of_tie]
    tpr = np.r_[0.0, tp / max(positive.sum(), 1)]
    fpr = np.r_[0.0, fp / max((~positive).sum(), 1)]
    return fpr, tpr, np.r_[np.inf, score[last_of_tie]]


def roc_auc(positive: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve (trapezoids; ties count one half)."""
    positive = np.asarray(positive, bool)
    if positive.all() or not positive.any():
        return float("nan")
    fpr, tpr, _ = roc_curve(positive, score)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def sensitivity_specificity(positive: np.ndarray, flagged: np.ndarray) -> tuple[float, float]:
    positive, flagged = np.asarray(positive, bool), np.asarray(flagged, bool)
    sens = (flagged & positive).sum() / positive.sum() if positive.any() else float("nan")
    spec = (~flagged & ~positive).sum() / (~positive).sum() if (~positive).any() else float("nan")
    return float(sens), float(spec)


def threshold_for_sensitivity(
    positive: np.ndarray, score: np.ndarray, target: float = 0.9
) -> float:
    """The highest threshold whose sensitivity (score >= threshold) is at least `target`."""
    positive_scores = np.sort(np.asarray(score, float)[np.asarray(positive, bool)])[::-1]
    if positive_scores.size == 0:
        return float("nan")
    needed = int(np.ceil(target * positive_scores.size - 1e-9))
    return float(positive_scores[max(needed, 1) - 1])


def ordinal_to_grade(p_above: np.ndarray) -> np.ndarray:
    """Grade = how many of P(grade > k), k = 0..3, exceed one half."""
    return (np.asarray(p_above) > 0.5).sum(axis=1)


def ordinal_to_probabilities(p_above: np.ndarray) -> np.ndarray:
    """P(grade = k) from the cumulative P(grade > k), made monotone first."""
    p = np.minimum.accumulate(np.asarray(p_above, float), axis=1)
    ones, zeros = np.ones((p.shape[0], 1)), np.zeros((p.shape[0], 1))
    return np.hstack([ones, p]) - np.hstack([p, zeros])
