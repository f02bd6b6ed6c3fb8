"""Discrimination and calibration metrics, all on probabilities of the positive class (bad).

    roc_auc   area under the ROC curve
    gini      2 * roc_auc - 1
    ks        Kolmogorov-Smirnov statistic: max over thresholds of TPR - FPR
    brier     mean squared error of the probability
    ece       expected calibration error over 10 equal-width bins of [0, 1]:
              sum over bins of (bin count / N) * |mean predicted - observed bad rate|
              (bin i holds i/10 <= p < (i+1)/10; the last bin also holds p = 1)
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve

NAMES = ("roc_auc", "gini", "ks", "brier", "ece")
BINS = 10


def ks(y: np.ndarray, p: np.ndarray) -> float:
    fpr, tpr, _ = roc_curve(y, p)
    return float(np.max(tpr - fpr))


def _bin_index(p: np.ndarray, bins: int = BINS) -> np.ndarray:
    return np.minimum((np.asarray(p) * bins).astype(np.int64), bins - 1)


def ece(y: np.ndarray, p: np.ndarray, bins: int = BINS) -> float:
    index = _bin_index(p, bins)
    total = 0.0
    for b in range(bins):
        inside = index == b
        if inside.any():
            total += inside.sum() / len(p) * abs(p[inside].mean() - y[inside].mean())
    return float(total)


def summary(y: np.ndarray, p: np.ndarray) -> dict:
    auc = float(roc_auc_score(y, p))
    return {"roc_auc": auc, "gini": 2 * auc - 1, "ks": ks(y, p), "brier": float(np.mean((p - y) ** 2)), "ece": ece(y, p)}


def mean_std(rows: list[dict], names=NAMES) -> tuple[dict, dict]:
    """Mean and sample standard deviation (ddof=1) over folds."""
    mean = {n: float(np.mean([r[n] for r in rows])) for n in names}
    std = {n: float(np.std([r[n] for r in rows], ddof=1)) if len(rows) > 1 else 0.0 for n in names}
    return mean, std


def reliability(y: np.ndarray, p: np.ndarray, bins: int = BINS) -> list[dict]:
    """The reliability table over equal-width bins; bins without predictions are left out."""
    index = _bin_index(p, bins)
    table = []
    for b in range(bins):
        inside = index == b
        if inside.any():
            table.append({"bin_low": b / bins, "bin_high": (b + 1) / bins, "count": int(inside.sum()),
                          "mean_predicted": float(p[inside].mean()), "observed_rate": float(y[inside].mean())})
    return table


def reliability_by_decile(y: np.ndarray, p: np.ndarray) -> list[dict]:
    """The same table over deciles of the prediction: informative when most p are small."""
    order = np.argsort(p, kind="stable")
    table = []
    for part in np.array_split(order, 10):
        if len(part):
            table.append({"bin_low": float(p[part].min()), "bin_high": float(p[part].max()), "count": int(len(part)),
                          "mean_predicted": float(p[part].mean()), "observed_rate": float(y[part].mean())})
    return table


def roc_points(y: np.ndarray, p: np.ndarray, limit: int = 101) -> list[dict]:
    """At most `limit` points of the ROC curve: for each FPR on a grid of `limit` steps, the
    curve's last point at or below it. `threshold`: predict bad when p >= threshold
    (the (0, 0) corner gets 1.0 instead of infinity)."""
    fpr, tpr, thresholds = roc_curve(y, p)
    chosen = sorted({int(np.searchsorted(fpr, g, side="right") - 1) for g in np.linspace(0, 1, limit)} | {0, len(fpr) - 1})
    while len(chosen) > limit:
        chosen.pop(len(chosen) // 2)
    return [{"fpr": float(fpr[i]), "tpr": float(tpr[i]), "threshold": float(min(thresholds[i], 1.0))} for i in chosen]


def paired_auc_difference(base: list[dict], other: list[dict]) -> tuple[float, float]:
    """Mean per-fold AUC of `other` minus `base` on the same folds, and its standard error."""
    d = np.array([o["roc_auc"] - b["roc_auc"] for b, o in zip(base, other)])
    return float(d.mean()), (float(d.std(ddof=1) / np.sqrt(len(d))) if len(d) > 1 else 0.0)
