"""LightGBM training with everything pinned that could make two runs differ.

`deterministic`, `force_row_wise`, a fixed `num_threads` and one `seed` (LightGBM derives its
bagging, feature-fraction, extra-trees and data seeds from it): same data, parameters and
seed give a byte-identical model text.
"""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pandas as pd

FIXED = {"objective": "binary", "deterministic": True, "force_row_wise": True, "verbose": -1, "linear_tree": False}


def params(config: dict, seed: int, threads: int, monotone: list[int] | None = None) -> dict:
    """LightGBM parameters from a search config (which may carry `n_estimators`, kept apart)."""
    out = {**FIXED, "seed": seed, "num_threads": threads}
    out.update({k: v for k, v in config.items() if k != "n_estimators"})
    if out.get("bagging_fraction", 1.0) < 1.0 and out.get("boosting", "gbdt") == "gbdt":
        out.setdefault("bagging_freq", 1)
    if monotone and any(monotone):
        out["monotone_constraints"] = list(monotone)
        # "intermediate", not "advanced": LightGBM 4.7's advanced method can break the
        # constraint (credit-data: expenses_to_income fell by 0.0018 log-odds across one of its
        # splits for 6 of 200 rows; LightGBM issues #5358, #6155); intermediate and basic never
        # did in the Swift test that walks every split (FairLendingTests).
        out["monotone_constraints_method"] = "intermediate"
    return out


def unconstrained(parameters: dict) -> dict:
    """The same parameters without monotone constraints (for runs on other columns)."""
    return {k: v for k, v in parameters.items() if k not in ("monotone_constraints", "monotone_constraints_method")}


def train(frame: pd.DataFrame, y: np.ndarray, parameters: dict, trees: int) -> lgb.Booster:
    """Trains on a frame whose raw categorical columns are pandas Categoricals, so the model
    records their labels (`pandas_categorical`) and its feature names are the frame's columns."""
    data = lgb.Dataset(frame, label=y, categorical_feature="auto", free_raw_data=True)
    return lgb.train(parameters, data, num_boost_round=trees)


def raw_scores(booster: lgb.Booster, frame: pd.DataFrame, trees: int | None = None) -> np.ndarray:
    return booster.predict(frame, raw_score=True, num_iteration=trees)


def sigmoid(raw: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-raw))


def learner(frame: pd.DataFrame, y: np.ndarray, parameters: dict, trees: int):
    """A fold learner: trains on the train rows, returns probabilities for the test rows."""
    def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        booster = train_rows(frame, y, parameters, trees, train)
        return booster.predict(frame.iloc[test])
    return fit_predict


def train_rows(frame: pd.DataFrame, y: np.ndarray, parameters: dict, trees: int, rows: np.ndarray) -> lgb.Booster:
    return train(frame.iloc[rows], y[rows], parameters, trees)
