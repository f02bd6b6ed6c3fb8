"""Platt scaling p' = 1 / (1 + exp(-(a * m + b))), m = logit(p) the model's margin — measured
cross-fitted on out-of-fold predictions and, when it is worth it, folded into model.txt.

Folding: LightGBM's binary predict is p = 1 / (1 + exp(-sigma * raw)). With sigma' = a * sigma
and every leaf of tree 0 raised by b / (a * sigma) (of every tree in random-forest mode, whose
raw score is the trees' mean), predict returns the calibrated p' — so the Swift evaluator,
which only evaluates model.txt, reproduces it exactly.
"""

from __future__ import annotations

import re

import numpy as np
from scipy.special import expit, logit

from . import metrics
from .folds import Fold, OutOfFold


def fit_platt(margin: np.ndarray, y: np.ndarray, iterations: int = 100) -> tuple[float, float]:
    """Maximum-likelihood (a, b) by Newton's method, starting from the identity (1, 0)."""
    a, b = 1.0, 0.0
    x = np.column_stack([margin, np.ones_like(margin)])
    for _ in range(iterations):
        p = expit(a * margin + b)
        gradient = x.T @ (p - y)
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + 1e-12 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        a, b = a - step[0], b - step[1]
        if np.max(np.abs(step)) < 1e-12:
            break
    return float(a), float(b)


def margin(p: np.ndarray) -> np.ndarray:
    return logit(np.clip(p, 1e-15, 1 - 1e-15))


def cross_fitted(p: np.ndarray, y: np.ndarray, folds: list[Fold]) -> np.ndarray:
    """Calibrated out-of-fold predictions: each fold's map is fitted on the other folds of the
    same repeat, so no row's own label shapes its calibration."""
    out = np.full_like(p, np.nan)
    for f in folds:
        a, b = fit_platt(margin(p[f.repeat, f.train]), y[f.train])
        out[f.repeat, f.test] = expit(a * margin(p[f.repeat, f.test]) + b)
    return out


def lightgbm_atof(text: str) -> float:
    """How LightGBM 4.x reads the number after `sigmoid:` (Common::Atof: integer digits, then
    fraction digits as one integer divided by a power of ten; no exponent here)."""
    whole, _, fraction = text.partition(".")
    value = 0.0
    for digit in whole:
        value = value * 10.0 + int(digit)
    if fraction:
        value += float(int(fraction)) / (10.0 ** len(fraction))
    return value


def sigma_text(sigma: float) -> str:
    """A short decimal for sigma that LightGBM's Atof and a correctly rounded parser (Swift's,
    Python's) read as the same double, so both sides multiply by identical bits."""
    for places in range(6, 2, -1):
        for nudge in (0, 1, -1, 2, -2):
            text = f"{round(sigma, places) + nudge * 10.0 ** -places:.{places}f}".rstrip("0").rstrip(".")
            if float(text) > 0 and lightgbm_atof(text) == float(text):
                return text
    raise ValueError(f"No safe decimal for sigmoid {sigma}.")


def tree_sizes(text: str) -> str:
    """Recomputes the header's `tree_sizes` (bytes of each "Tree=i" block), which LightGBM uses
    to find the trees when loading."""
    start = text.index("\nTree=0\n") + 1
    end = text.index("end of trees", start)
    blocks = re.split(r"(?m)^(?=Tree=\d+$)", text[start:end])
    sizes = " ".join(str(len(b.encode())) for b in blocks if b)
    return re.sub(r"(?m)^tree_sizes=.*$", "tree_sizes=" + sizes, text, count=1)


def fold_into_model(text: str, a: float, b: float) -> tuple[str, float, float]:
    """model.txt with Platt's (a, b) folded in (see module doc). Returns the new text, the new
    sigmoid and the shift added to the leaves."""
    objective = re.search(r"(?m)^objective=binary sigmoid:(\S+)$", text)
    if not objective:
        raise ValueError("Only binary models with a sigmoid can be calibrated this way.")
    if not a > 0:
        raise ValueError(f"Platt slope {a} is not positive; refusing to invert the model.")
    sigma_new_text = sigma_text(a * float(objective.group(1)))
    sigma_new = float(sigma_new_text)
    shift = b / sigma_new
    every_tree = re.search(r"(?m)^average_output$", text) is not None
    text = text[:objective.start()] + f"objective=binary sigmoid:{sigma_new_text}" + text[objective.end():]
    text = re.sub(r"(?m)^\[sigmoid: \S+\]$", f"[sigmoid: {sigma_new_text}]", text, count=1)

    def shifted(line: re.Match) -> str:
        return "leaf_value=" + " ".join(repr(float(v) + shift) for v in line.group(1).split(" "))

    start = text.index("\nTree=0\n") + 1
    end = text.index("end of trees", start)
    blocks = re.split(r"(?m)^(?=Tree=\d+$)", text[start:end])
    blocks = [re.sub(r"(?m)^leaf_value=(.*)$", shifted, block, count=1) if block.startswith("Tree=0\n") or every_tree else block
              for block in blocks]
    return tree_sizes(text[:start] + "".join(blocks) + text[end:]), sigma_new, shift


RULE = ("apply when cross-fitted Platt lowers the mean fold Brier score and cuts the ECE of the pooled out-of-fold "
        "predictions by at least 10 % (a fold's ECE is too noisy on small data), or whenever class weights or SMOTE were chosen")


def ece_if_calibrated(oof: OutOfFold, draws: int = 200, seed: int = 0) -> dict:
    """The mean fold ECE a perfectly calibrated model would show on folds of this size: labels
    drawn from the predictions themselves (so calibrated by construction), ECE measured per
    fold as for the real labels. On small folds ECE is biased upwards by the labels' noise;
    this is that bias, the floor no calibration can go below."""
    rng = np.random.default_rng(seed)
    means = []
    for _ in range(draws):
        values = []
        for f in oof.folds:
            p = oof.p[f.repeat, f.test]
            values.append(metrics.ece((rng.random(len(p)) < p).astype(np.int64), p))
        means.append(float(np.mean(values)))
    return {"mean_fold_ece": float(np.mean(means)), "p95": float(np.quantile(means, 0.95)), "draws": draws,
            "fold_rows": int(np.median([len(f.test) for f in oof.folds]))}


def measure(base: OutOfFold, y: np.ndarray, method: str) -> dict:
    """Cross-fitted Platt on `base`, the decision, and (a, b) fitted on all pooled predictions."""
    p = cross_fitted(base.p, y, base.folds)
    per_fold = [{"repeat": f.repeat, "fold": f.fold, **metrics.summary(y[f.test], p[f.repeat, f.test])} for f in base.folds]
    platt = OutOfFold(base.folds, p, per_fold)
    before, _ = base.mean_std()
    after, _ = platt.mean_std()
    pooled_p, pooled_y = base.pooled(y)
    before["pooled_ece"] = metrics.ece(pooled_y, pooled_p)
    platt_p, _ = platt.pooled(y)
    after["pooled_ece"] = metrics.ece(pooled_y, platt_p)
    apply = method != "none" or (after["brier"] <= before["brier"] and after["pooled_ece"] <= 0.9 * before["pooled_ece"])
    a, b = fit_platt(margin(pooled_p), pooled_y)
    shipped = platt if apply else base
    return {"apply": apply, "oof": shipped, "before": before, "after": after, "a": a, "b": b,
            "floor": ece_if_calibrated(shipped)}


def entry(measured: dict, method: str, fold: dict | None) -> dict:
    """The `metrics.calibration` entry of bundle.json."""
    return {
        "applied": measured["apply"],
        "method": "Platt scaling on the margin: p' = 1 / (1 + exp(-(a * logit(p) + b))), folded into model.txt "
                  "(objective sigmoid := a * sigma, rounded to a decimal LightGBM and Swift read identically; tree 0's "
                  "leaves += b / new sigma)",
        "rule": RULE,
        "uncalibrated": {k: measured["before"][k] for k in ("brier", "ece", "pooled_ece")},
        "cross_fitted_platt": {k: measured["after"][k] for k in ("brier", "ece", "pooled_ece")},
        "a": measured["a"], "b": measured["b"],
        "folded": fold,
        # What "ece" can be at best on folds this small (see ece_if_calibrated).
        "ece_if_perfectly_calibrated": measured["floor"],
        "imbalance_method": method,
    }
