"""A lender's scikit-learn pipeline: a RandomForest over credit_data's loan fields.

credit_data (Belanche Muñoz's Spanish consumer-credit data; see Data/datasets/PROVENANCE.md)
is the European lender's file we have: categories one-hot encoded with unknown labels
ignored, missing values imputed, the forest behind them — the shape of the scikit-learn
pipeline the system LoanRisk grew from served. `Marital` is left out: marital status is a
prohibited basis of a credit decision (ECOA / Regulation B §1002.6).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

from . import common

DATASET = "credit_data.csv"
SAMPLE = "credit-data-sample.csv"
TARGET, BAD = "Status", "bad"
CATEGORICAL = ["Home", "Records", "Job"]


def pipeline(numeric: list[str]) -> Pipeline:
    encode = ColumnTransformer([
        ("categories", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), CATEGORICAL),
        ("numbers", SimpleImputer(strategy="median"), numeric),
    ])
    forest = RandomForestClassifier(n_estimators=100, max_depth=8, min_samples_leaf=10, max_features="sqrt", random_state=34, n_jobs=2)
    return Pipeline([("encode", encode), ("forest", forest)])


def train(out: Path) -> common.Artefact:
    from training.export_sklearn import export

    data, sample = common.split(DATASET, SAMPLE)
    features = [c for c in sample.columns if c != common.ID_COLUMN]
    numeric = [c for c in features if c not in CATEGORICAL]
    x = data[features].copy()
    for column in CATEGORICAL:
        x[column] = x[column].astype(object)
    y = (data[TARGET] == BAD).astype(int).to_numpy()
    model = pipeline(numeric).fit(x, y)
    # With several jobs scikit-learn adds the trees' fractions in whatever order its threads
    # finish, so the last bit varies between runs; one job adds them in tree order.
    model.named_steps["forest"].n_jobs = 1
    path = out / "forest-credit-data.sklearn.json"
    export(model, path)
    rows = sample[features].copy()
    for column in CATEGORICAL:
        rows[column] = rows[column].astype(object)
    probability = model.predict_proba(rows)[:, 1]
    import sklearn

    return common.Artefact(
        name="credit-data", kind="sklearn", model=path, sample=common.SAMPLES / SAMPLE,
        expected={a: {"probability": float(p)} for a, p in zip(sample[common.ID_COLUMN], probability)},
        note=f"scikit-learn {sklearn.__version__}, RandomForest of 100 trees (depth 8) behind one-hot categories")
