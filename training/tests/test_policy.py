"""Cut-offs: ordered, cost-minimal, and their rates consistent with the predictions."""

import itertools

import numpy as np

from loanrisk_training import policy

COSTS = {"false_approve": 5.0, "false_decline": 1.0, "review": 0.2, "review_catch_rate": 0.5}


def synthetic(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    p = rng.beta(2, 6, n)
    y = (rng.random(n) < p).astype(int)
    return p, y


def test_cutoffs_are_ordered_and_rates_consistent():
    p, y = synthetic()
    c = policy.choose(p, y, COSTS)
    assert 0 <= c["approve_below"] <= c["decline_at_or_above"]
    approve, decline = p < c["approve_below"], p >= c["decline_at_or_above"]
    assert c["approval_rate"] == approve.mean()
    assert c["review_rate"] == (~approve & ~decline).mean()
    assert c["bad_rate_among_approved"] == y[approve].mean()
    assert c["recall_of_defaulters"] == (decline & (y == 1)).sum() / y.sum()
    assert abs(c["approval_rate"] + c["review_rate"] + c["decline_rate"] - 1) < 1e-12


def test_cutoffs_minimise_cost_over_the_candidates():
    p, y = synthetic(800, 1)
    c = policy.choose(p, y, COSTS)
    grid = policy.candidates(p)
    best = min(policy.evaluate(p, y, lo, hi, COSTS)["expected_cost_per_applicant"]
               for lo, hi in itertools.combinations_with_replacement(grid[::7], 2))
    assert c["expected_cost_per_applicant"] <= best + 1e-12
    assert c["expected_cost_per_applicant"] <= min(c["baseline_cost_per_applicant"].values()) + 1e-12


def test_costly_reviews_leave_no_review_band():
    p, y = synthetic()
    c = policy.choose(p, y, {**COSTS, "review": 10.0})
    assert c["review_rate"] == 0.0
