"""Baselines compared with the tuned LightGBM on the same folds and the same features.

    logistic_regression  numeric: median imputation + missing indicators + standard scaling;
                         categorical: one-hot (missing and unseen labels all-zero);
                         L2 strength C picked from a small grid on the first repeat's folds
    random_forest        scikit-learn, 300 trees (fewer in quick mode), one-hot categoricals,
                         NaN handled natively, min_samples_leaf picked like C
    lightgbm_rf          LightGBM's random-forest mode (boosting=rf) on the LightGBM frame
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from . import lgbm, metrics
from .folds import Fold, OutOfFold, out_of_fold


def _columns(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    cats = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    return [c for c in frame.columns if c not in cats], cats


def _onehot(cats: list[str], frame: pd.DataFrame) -> OneHotEncoder:
    return OneHotEncoder(categories=[list(frame[c].cat.categories) for c in cats], handle_unknown="ignore")


def _as_object(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as plain objects with None for missing, which OneHotEncoder accepts."""
    out = frame.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out


def logistic_regression(frame: pd.DataFrame, C: float, seed: int):
    nums, cats = _columns(frame)
    numeric = make_pipeline(SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True), StandardScaler())
    prep = ColumnTransformer([("num", numeric, nums), ("cat", _onehot(cats, frame), cats)])
    return make_pipeline(prep, LogisticRegression(C=C, max_iter=5000, random_state=seed))


def random_forest(frame: pd.DataFrame, leaf: int, trees: int, seed: int, threads: int):
    nums, cats = _columns(frame)
    prep = ColumnTransformer([("num", "passthrough", nums), ("cat", _onehot(cats, frame), cats)], sparse_threshold=0)
    forest = RandomForestClassifier(n_estimators=trees, min_samples_leaf=leaf, max_features="sqrt", n_jobs=threads, random_state=seed)
    return make_pipeline(prep, forest)


def sklearn_learner(make, frame: pd.DataFrame, y: np.ndarray):
    data = _as_object(frame)

    def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        model = make().fit(data.iloc[train], y[train])
        return model.predict_proba(data.iloc[test])[:, 1]
    return fit_predict


def pick(makers: dict, frame: pd.DataFrame, y: np.ndarray, folds: list[Fold], workers: int) -> tuple[object, float]:
    """The grid value whose model has the best mean AUC on `folds`."""
    scores = {}
    for value, make in makers.items():
        oof = out_of_fold(sklearn_learner(make, frame, y), y, folds, workers)
        scores[value] = float(np.mean([r["roc_auc"] for r in oof.per_fold]))
    value = max(scores, key=lambda v: scores[v])
    return value, scores[value]


def lightgbm_rf_params(seed: int, threads: int, monotone: list[int] | None) -> dict:
    config = {"boosting": "rf", "bagging_fraction": 0.632, "bagging_freq": 1, "feature_fraction": 0.5,
              "num_leaves": 63, "min_data_in_leaf": 20, "lambda_l2": 1.0}
    return lgbm.params(config, seed, threads, monotone)


def compare(raw: pd.DataFrame, frame: pd.DataFrame, y: np.ndarray, folds: list[Fold], shipped: OutOfFold, shipped_note: str,
            params: dict, trees: int, forest_trees: int, seed: int, threads: int, monotone: list[int] | None,
            workers: int = 1) -> list[dict]:
    """The `metrics.comparison` table: every algorithm on the same folds, AUC paired against the shipped model."""
    first = [f for f in folds if f.repeat == 0]
    runs = {}
    c, _ = pick({C: (lambda C=C: logistic_regression(frame, C, seed)) for C in (0.01, 0.1, 1.0)}, frame, y, first, workers)
    runs["logistic_regression"] = (
        out_of_fold(sklearn_learner(lambda: logistic_regression(frame, c, seed), frame, y), y, folds, workers),
        f"one-hot + median imputation with missing indicators + standard scaling; L2, C={c} (picked from 0.01/0.1/1 on repeat 0)")
    leaf, _ = pick({m: (lambda m=m: random_forest(frame, m, forest_trees, seed, threads)) for m in (5, 20)}, frame, y, first, workers)
    runs["random_forest"] = (
        out_of_fold(sklearn_learner(lambda: random_forest(frame, leaf, forest_trees, seed, threads), frame, y), y, folds, workers),
        f"scikit-learn, {forest_trees} trees, max_features=sqrt, min_samples_leaf={leaf} (picked from 5/20 on repeat 0), one-hot")
    runs["lightgbm_rf"] = (
        out_of_fold(lgbm.learner(frame, y, lightgbm_rf_params(seed, threads, monotone), forest_trees), y, folds, workers),
        f"LightGBM boosting=rf, {forest_trees} trees, bagging 0.632, feature_fraction 0.5, 63 leaves")
    raw_params = lgbm.unconstrained(params)
    runs["lightgbm_gbdt_raw_columns"] = (
        out_of_fold(lgbm.learner(raw, y, raw_params, trees), y, folds, workers),
        "the shipped configuration on the raw columns only (no derived features, no monotone constraints)")
    runs["lightgbm_gbdt"] = (shipped, shipped_note)
    table = []
    for name, (oof, note) in runs.items():
        mean, std = oof.mean_std()
        gain, se = metrics.paired_auc_difference(shipped.per_fold, oof.per_fold)
        table.append({"algorithm": name, **mean, "roc_auc_std": std["roc_auc"], "auc_vs_shipped": gain,
                      "auc_vs_shipped_se": se, "shipped": name == "lightgbm_gbdt", "setup": note})
    return table


def winners(table: list[dict]) -> list[dict]:
    """Algorithms whose AUC beats the shipped model's by more than two paired standard errors."""
    return [r for r in table if not r["shipped"] and r["auc_vs_shipped"] > 2 * r["auc_vs_shipped_se"] > 0]
