import numpy as np

from loanrisk_training import metrics


def test_ece_uses_ten_equal_width_bins():
    p = np.array([0.05, 0.05, 0.95, 0.95, 1.0])
    y = np.array([0, 1, 1, 1, 1])
    # bin 0: mean p 0.05, rate 0.5 -> 2/5 * 0.45; bin 9 (holds 1.0): mean 0.9667, rate 1 -> 3/5 * 0.0333
    assert abs(metrics.ece(y, p) - (0.4 * 0.45 + 0.6 * (1 - (0.95 + 0.95 + 1.0) / 3))) < 1e-12
    table = metrics.reliability(y, p)
    assert [r["count"] for r in table] == [2, 3]


def test_summary_gini_ks_and_roc_points():
    rng = np.random.default_rng(0)
    p = rng.random(5000)
    y = (rng.random(5000) < p).astype(int)
    s = metrics.summary(y, p)
    assert abs(s["gini"] - (2 * s["roc_auc"] - 1)) < 1e-15
    assert 0 < s["ks"] < 1
    roc = metrics.roc_points(y, p)
    assert len(roc) <= 101
    assert roc[0]["fpr"] == 0 and roc[-1]["fpr"] == 1 and roc[-1]["tpr"] == 1
    assert all(r["threshold"] <= 1.0 for r in roc)
