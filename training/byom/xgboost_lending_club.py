"""A lender's XGBoost model: lending_club, native categorical splits, early stopping.

What a lender arriving with XGBoost would bring: an `XGBClassifier` trained with pandas
categories and early stopping, saved with `save_model` (JSON). Trained on the lending_club
rows that are not in `Data/samples/lending-club-sample.csv` (the held-out applicants), with
the sample's raw columns, so it can stand as a challenger to the bundled LightGBM model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xgboost as xgb

from . import common

DATASET = "lending_club.csv"
SAMPLE = "lending-club-sample.csv"
TARGET, BAD = "Class", "bad"


def categorical_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]


def frame_for(rows: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    """The rows as XGBoost reads them: categorical columns with the training categories."""
    out = rows.copy()
    for column, labels in categories.items():
        out[column] = pd.Categorical(out[column], categories=labels)
    return out


def train(out: Path) -> common.Artefact:
    data, sample = common.split(DATASET, SAMPLE)
    features = [c for c in sample.columns if c != common.ID_COLUMN]
    x = data[features]
    y = (data[TARGET] == BAD).astype(int).to_numpy()
    categories = {c: sorted(x[c].dropna().unique().tolist()) for c in categorical_columns(x)}
    x = frame_for(x, categories)
    rng = np.random.default_rng(34)
    validation = rng.random(len(x)) < 0.2
    model = xgb.XGBClassifier(
        n_estimators=600, learning_rate=0.05, max_depth=4, subsample=0.8, colsample_bytree=0.8,
        tree_method="hist", enable_categorical=True, max_cat_to_onehot=1, early_stopping_rounds=40,
        eval_metric="auc", random_state=34, n_jobs=2)
    model.fit(x[~validation], y[~validation], eval_set=[(x[validation], y[validation])], verbose=False)
    path = out / "xgboost-lending-club.json"
    model.save_model(path)
    rows = frame_for(sample[features], categories)
    probability = model.predict_proba(rows)[:, 1]
    return common.Artefact(
        name="lending-club", kind="xgboost", model=path, sample=common.SAMPLES / SAMPLE,
        expected={a: {"probability": float(p)} for a, p in zip(sample[common.ID_COLUMN], probability)},
        note=f"XGBoost {xgb.__version__}, best iteration {model.best_iteration} of {model.n_estimators}")
