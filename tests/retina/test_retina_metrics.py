from __future__ import annotations

import numpy as np
import pytest

from retina import metrics


def test_it_counts_the_confusion_matrix_by_true_row_and_predicted_column():
    m = metrics.confusion_matrix([0, 0, 1, 2], [0, 1, 1, 0], 3)
    assert m.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 0]]


def test_it_computes_quadratic_kappa_as_by_hand():
    # truth [0,1,2], pred [0,2,2]; 3 classes, weights (i-j)^2/4.
    # observed: w(1,2)=1/4 on one cell -> sum 0.25
    # expected = row_sums x col_sums / 3: rows (1,1,1), cols (1,0,2)
    #   sum w*E = (1/3)[w00*1 + w02*2 + w10*1 + w12*2 + w20*1 + w22*2]
    #           = (1/3)[0 + 2 + 0.25 + 0.5 + 1 + 0] = 3.75/3 = 1.25
    # kappa = 1 - 0.25/1.25 = 0.8
    kappa = metrics.quadratic_kappa(np.array([0, 1, 2]), np.array([0, 2, 2]), 3)
    assert kappa == pytest.approx(0.8)


def test_it_gives_kappa_one_for_perfect_agreement():
    assert metrics.quadratic_kappa(np.arange(5), np.arange(5)) == pytest.approx(1.0)


def test_it_computes_auc_with_ties_counting_one_half():
    # positives 0.9, 0.5; negatives 0.5, 0.1 -> pairs: (0.9>0.5)(0.9>0.1)(0.5=0.5)(0.5>0.1)
    auc = metrics.roc_auc(np.array([1, 1, 0, 0]), np.array([0.9, 0.5, 0.5, 0.1]))
    assert auc == pytest.approx(3.5 / 4)


def test_it_returns_nan_auc_when_one_class_is_missing():
    assert np.isnan(metrics.roc_auc(np.array([1, 1]), np.array([0.2, 0.3])))


def test_it_computes_sensitivity_and_specificity():
    sens, spec = metrics.sensitivity_specificity([1, 1, 1, 0, 0], [1, 1, 0, 0, 1])
    assert (sens, spec) == (pytest.approx(2 / 3), pytest.approx(0.5))


def test_it_picks_the_highest_threshold_reaching_the_sensitivity_target():
    positive = np.array([1] * 10 + [0] * 5, bool)
    score = np.array(
        [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6, 0.5, 0.4, 0.2, 0.3, 0.1, 0.45, 0.05, 0.0]
    )
    t = metrics.threshold_for_sensitivity(positive, score, 0.9)
    assert t == pytest.approx(0.4)  # 9 of 10 positives at or above 0.4
    sens, spec = metrics.sensitivity_specificity(positive, score >= t)
    assert sens == pytest.approx(0.9) and spec == pytest.approx(0.8)


def test_it_turns_ordinal_outputs_into_a_grade_and_probabilities():
    p_above = np.array([[0.9, 0.7, 0.2, 0.1]])
    assert metrics.ordinal_to_grade(p_above).tolist() == [2]
    probs = metrics.ordinal_to_probabilities(p_above)[0]
    assert probs == pytest.approx([0.1, 0.2, 0.5, 0.1, 0.1])
    assert probs.sum() == pytest.approx(1.0)
