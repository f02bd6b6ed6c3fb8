"""Class imbalance: no correction, class weights, or SMOTE — measured on the same folds.

    none          plain binary log-loss; probabilities estimate the true bad rate
    class_weight  LightGBM `is_unbalance`: bads weighted by #good / #bad of the training fold
    smote         SMOTE-NC (imbalanced-learn) on the training fold only, up to 1:1; synthetic
                  rows are made from the raw columns (numeric gaps filled with the fold's
                  median, a missing label is its own category) and their derived features are
                  computed by the executor, as for real rows; test folds are never resampled

The choice: a correction must raise mean AUC by more than two standard errors of the paired
per-fold difference; otherwise `none` is kept, because both corrections distort probabilities.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE, SMOTENC

from . import derived, lgbm
from .folds import OutOfFold


def smote_raw(raw: pd.DataFrame, y: np.ndarray, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    cats = [c for c in raw.columns if isinstance(raw[c].dtype, pd.CategoricalDtype)]
    matrix = np.empty((len(raw), raw.shape[1]))
    for j, c in enumerate(raw.columns):
        if c in cats:
            codes = raw[c].cat.codes.to_numpy().astype(np.float64)
            matrix[:, j] = np.where(codes < 0, len(raw[c].cat.categories), codes)
        else:
            v = raw[c].to_numpy(dtype=np.float64)
            fill = np.nanmedian(v) if not np.isnan(v).all() else 0.0
            matrix[:, j] = np.where(np.isnan(v), fill, v)
    k = int(min(5, y.sum() - 1))
    index = [raw.columns.get_loc(c) for c in cats]
    sampler = SMOTENC(categorical_features=index, k_neighbors=k, random_state=seed) if cats else SMOTE(k_neighbors=k, random_state=seed)
    resampled, y_out = sampler.fit_resample(matrix, y)
    extra = resampled[len(raw):]
    columns = {}
    for j, c in enumerate(raw.columns):
        if c in cats:
            labels = list(raw[c].cat.categories)
            codes = np.rint(extra[:, j]).astype(np.int64)
            synthetic = pd.Categorical.from_codes(np.where(codes >= len(labels), -1, codes), categories=labels)
            columns[c] = pd.Categorical(list(raw[c]) + list(synthetic), categories=labels)
        else:
            columns[c] = np.concatenate([raw[c].to_numpy(dtype=np.float64), extra[:, j]])
    return pd.DataFrame(columns), np.asarray(y_out)


def learner(method: str, raw: pd.DataFrame, frame: pd.DataFrame, y: np.ndarray, spec: dict, parameters: dict, trees: int, seed: int):
    if method == "none":
        return lgbm.learner(frame, y, parameters, trees)
    if method == "class_weight":
        return lgbm.learner(frame, y, {**parameters, "is_unbalance": True}, trees)
    if method == "smote":
        def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
            raw_train, y_train = smote_raw(raw.iloc[train].reset_index(drop=True), y[train], seed)
            train_frame = derived.model_frame(raw_train, spec["derived_features"], spec["model_features"])
            booster = lgbm.train(train_frame, y_train, parameters, trees)
            return booster.predict(frame.iloc[test])
        return fit_predict
    raise ValueError(f"Unknown imbalance method {method!r}.")


def compare(results: dict[str, OutOfFold], y: np.ndarray) -> dict:
    """The `metrics.imbalance` entry: every method's mean metrics and the choice, with why."""
    base = np.array([r["roc_auc"] for r in results["none"].per_fold])
    tried, better = [], []
    for method, oof in results.items():
        mean, std = oof.mean_std()
        aucs = np.array([r["roc_auc"] for r in oof.per_fold])
        diff = aucs - base
        se = float(diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else 0.0
        tried.append({"method": method, "roc_auc": mean["roc_auc"], "roc_auc_std": std["roc_auc"], "ks": mean["ks"],
                      "brier": mean["brier"], "ece": mean["ece"], "auc_gain_vs_none": float(diff.mean()), "auc_gain_se": se,
                      "mean_predicted": float(np.nanmean(oof.p)), "observed_bad_rate": float(y.mean())})
        if method != "none" and diff.mean() > 2 * se and se > 0:
            better.append((mean["roc_auc"], method))
    chosen = max(better)[1] if better else "none"
    lines = []
    for t in tried:
        if t["method"] != "none":
            lines.append(f"{t['method']} changed mean AUC by {t['auc_gain_vs_none']:+.4f} (paired SE {t['auc_gain_se']:.4f}) "
                         f"and mean ECE from {tried[0]['ece']:.4f} to {t['ece']:.4f} (mean predicted bad rate "
                         f"{t['mean_predicted']:.3f} vs observed {t['observed_bad_rate']:.3f})")
    if chosen == "none":
        why = ("; ".join(lines) + ". No correction raised AUC by more than two paired standard errors, and both distort "
               "probabilities, so the model is trained unweighted on the data as it is.")
    else:
        why = "; ".join(lines) + f". {chosen} raised AUC by more than two paired standard errors; its probabilities are recalibrated."
    return {"chosen": chosen, "tried": tried, "rule": "keep 'none' unless a correction raises mean fold AUC by more than "
            "2 standard errors of the paired per-fold difference", "why": why}
