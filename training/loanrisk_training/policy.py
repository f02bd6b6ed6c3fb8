"""The decision policy: approve when p < approve_below, decline when p >= decline_at_or_above,
review in between — cut-offs minimising expected cost on out-of-fold predictions.

Cost per applicant (the recipe's `costs`, in units stated in its `basis`):

    approved bad                       false_approve
    declined good                      false_decline
    reviewed                           review, plus (1 - review_catch_rate) * false_approve
                                       for a bad (reviewers catch that share of the bads and
                                       decline them; goods pass review)
    approved good, declined bad        0
"""

from __future__ import annotations

import numpy as np


def candidates(p: np.ndarray, count: int = 400) -> np.ndarray:
    """Cut-off candidates: the predictions' quantiles rounded to 4 significant digits, plus 0
    (approve none) and a value above every prediction (decline none)."""
    q = np.quantile(p, np.linspace(0, 1, count + 1))
    rounded = np.array([float(f"{v:.4g}") for v in q if v > 0])
    return np.unique(np.concatenate([[0.0], rounded, [1.0 + 1e-9]]))


def evaluate(p: np.ndarray, y: np.ndarray, approve_below: float, decline_at_or_above: float, costs: dict) -> dict:
    approve = p < approve_below
    decline = p >= decline_at_or_above
    review = ~approve & ~decline
    bad = y == 1
    n, bads = len(p), max(int(bad.sum()), 1)
    cost = (costs["false_approve"] * np.sum(approve & bad) + costs["false_decline"] * np.sum(decline & ~bad)
            + costs["review"] * np.sum(review) + (1 - costs["review_catch_rate"]) * costs["false_approve"] * np.sum(review & bad))
    return {
        "approval_rate": float(approve.mean()),
        "bad_rate_among_approved": float(bad[approve].mean()) if approve.any() else 0.0,
        "recall_of_defaulters": float(np.sum(decline & bad) / bads),
        "review_rate": float(review.mean()),
        "decline_rate": float(decline.mean()),
        "bads_caught_including_review": float((np.sum(decline & bad) + costs["review_catch_rate"] * np.sum(review & bad)) / bads),
        "expected_cost_per_applicant": float(cost / n),
    }


def choose(p: np.ndarray, y: np.ndarray, costs: dict) -> dict:
    """Cut-offs with the least expected cost (ties: the first found, i.e. lower cut-offs)."""
    c = candidates(p)
    order = np.argsort(p, kind="stable")
    sorted_p, sorted_bad = p[order], y[order] == 1
    below = np.searchsorted(sorted_p, c, side="left")             # rows with p < c
    bads_below = np.concatenate([[0], np.cumsum(sorted_bad)])[below]
    goods_below = below - bads_below
    goods_total = len(p) - int(sorted_bad.sum())
    fa, fd, r, miss = costs["false_approve"], costs["false_decline"], costs["review"], 1 - costs["review_catch_rate"]
    lo, hi = np.meshgrid(np.arange(len(c)), np.arange(len(c)), indexing="ij")
    total = (fa * bads_below[lo] + fd * (goods_total - goods_below[hi]) + r * (below[hi] - below[lo])
             + miss * fa * (bads_below[hi] - bads_below[lo]))
    total = np.where(hi >= lo, total, np.inf)
    i, j = np.unravel_index(int(np.argmin(total)), total.shape)
    approve_below, decline_at = float(c[i]), float(c[j])
    everyone = {"approve_all": float(fa * y.sum() / len(p)), "decline_all": float(fd * (len(p) - y.sum()) / len(p))}
    return {"approve_below": approve_below, "decline_at_or_above": decline_at,
            **evaluate(p, y, approve_below, decline_at, costs), "baseline_cost_per_applicant": everyone}
