#!/usr/bin/env python3
"""Regenerate the scikit-learn golden fixtures used by the Swift tests (SklearnParityTests).

    python training/golden/make_sklearn_golden.py [--out Tests/ScoringTests/Fixtures/sklearn]

Each case fits a small scikit-learn classifier or pipeline on our datasets
(Data/datasets/credit_data.csv: categoricals and NaNs; lending_club.csv), exports it with
training/export_sklearn.py and writes <out>/<case>/

    model.json   the loanrisk-sklearn document
    rows.json    {"inputs": [...names], "rows": [[value | label | null, ...], ...],
                  "probability": [...], "raw": [...],
                  "contributions": [[per input..., expected value], ...] | null,
                  "contributions_reference": "shap.TreeExplainer" | "shap.LinearExplainer" | null}

Rows: held-out rows of the data (with their NaNs), rows with a value set exactly on a split
threshold of the model, rows with an unseen category label and rows with a missing category.
`probability` is `predict_proba(X)[:, 1]` on exactly those rows (a DataFrame, categoricals as
labels), `raw` the decision function (the probability itself for trees and forests);
contributions come from the `shap` package (path-dependent TreeExplainer, no background
data; LinearExplainer with the training rows as background) on the columns the estimator
reads, summed per raw input. Floats are written by json (repr: exact). Deterministic (seeds).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))

from export_sklearn import export  # noqa: E402

from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import (ExtraTreesClassifier, GradientBoostingClassifier,  # noqa: E402
                              HistGradientBoostingClassifier, RandomForestClassifier)
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import Pipeline, make_pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

UNSEEN = "zz-never-seen"


def credit():
    df = pd.read_csv(ROOT / "Data/datasets/credit_data.csv")
    y = (df.pop("Status") == "bad").astype(int).to_numpy()
    cats = ["Home", "Marital", "Records", "Job"]
    for c in cats:
        df[c] = df[c].astype(object)
    return df, y, cats


def lending():
    df = pd.read_csv(ROOT / "Data/datasets/lending_club.csv")
    y = (df.pop("Class") == "bad").astype(int).to_numpy()
    cats = ["term", "sub_grade", "addr_state", "verification_status", "emp_length"]
    for c in cats:
        df[c] = df[c].astype(object)
    return df, y, cats


def split(df, y, n_test=40, seed=0):
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(df))
    test, train = order[:n_test], order[n_test:]
    return df.iloc[train].reset_index(drop=True), y[train], df.iloc[test].reset_index(drop=True)


def with_edge_rows(model, doc, test: pd.DataFrame, cats, trees=None, seed=1) -> pd.DataFrame:
    """Test rows plus rows with a value exactly on split thresholds, unseen and missing labels."""
    rng = np.random.default_rng(seed)
    rows = [test]
    names = list(test.columns)
    # Thresholds of columns that are a raw numeric input (with at most an imputer in front).
    plain = {}
    for j, col in enumerate(doc["columns"]):
        if all(op["op"] == "impute" for op in col["ops"]) and "categories" not in doc["inputs"][col["input"]]:
            plain[j] = names[col["input"]]
    edges = []
    for tree in (trees or [])[:5]:
        for node, (f, t) in enumerate(zip(tree["feature"], tree["threshold"])):
            if tree["left"][node] >= 0 and f in plain and not (tree.get("categories") or [None] * (node + 1))[node]:
                edges.append((plain[f], t))
    for k, (name, t) in enumerate(edges[:12]):
        row = test.iloc[[k % len(test)]].copy()
        row[name] = t
        rows.append(row)
    for k, name in enumerate(cats):
        row = test.iloc[[k % len(test)]].copy()
        row[name] = UNSEEN
        rows.append(row)
        row = test.iloc[[(k + 7) % len(test)]].copy()
        row[name] = np.nan
        rows.append(row)
    out = pd.concat(rows, ignore_index=True)
    for c in cats:
        out[c] = out[c].astype(object)
    return out


def fold(values: np.ndarray, doc) -> np.ndarray:
    """Per-column contributions summed per raw input."""
    n_inputs = len(doc["inputs"])
    out = np.zeros((values.shape[0], n_inputs))
    for j, col in enumerate(doc["columns"]):
        out[:, col["input"]] += values[:, j]
    return out


def tree_shap(model, columns: np.ndarray, doc):
    import shap

    explainer = shap.TreeExplainer(model, feature_perturbation="tree_path_dependent")
    values = np.asarray(explainer.shap_values(columns, check_additivity=False))
    expected = np.asarray(explainer.expected_value).ravel()
    if values.ndim == 3:  # (rows, columns, classes): the positive class
        values, expected = values[:, :, 1], expected[1]
    else:
        expected = expected[0]
    folded = fold(values, doc)
    return np.hstack([folded, np.full((len(folded), 1), expected)])


def linear_shap(model, background: np.ndarray, columns: np.ndarray, doc):
    import shap

    # The whole training set as background (shap's default masker samples 100 rows of it).
    explainer = shap.LinearExplainer(model, shap.maskers.Independent(background, max_samples=len(background)))
    values = np.asarray(explainer.shap_values(columns))
    folded = fold(values, doc)
    expected = float(np.asarray(explainer.expected_value).ravel()[0])
    return np.hstack([folded, np.full((len(folded), 1), expected)])


def jsonable(x):
    if isinstance(x, (float, np.floating)):
        return None if math.isnan(x) else float(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    return x


def write_case(out: Path, name: str, model, rows: pd.DataFrame, background=None, contributions="tree", frame=None):
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    doc = export(model, folder / "model.json", background=background)
    X = frame(rows) if frame else rows
    proba = model.predict_proba(X)[:, 1]
    est = model[-1] if isinstance(model, Pipeline) else model
    if hasattr(model, "decision_function"):
        raw = np.asarray(model.decision_function(X), dtype=np.float64).ravel()
    else:
        raw = proba
    columns = model[:-1].transform(X) if isinstance(model, Pipeline) else X
    if hasattr(columns, "toarray"):
        columns = columns.toarray()
    contrib, reference = None, None
    if contributions == "tree":
        contrib, reference = tree_shap(est, np.asarray(columns, dtype=np.float64), doc), "shap.TreeExplainer"
    elif contributions == "linear":
        bg = model[:-1].transform(background) if isinstance(model, Pipeline) else background
        contrib = linear_shap(est, np.asarray(bg, dtype=np.float64), np.asarray(columns, dtype=np.float64), doc)
        reference = "shap.LinearExplainer"
    payload = {
        "inputs": list(rows.columns),
        "rows": [[jsonable(v) for v in r] for r in rows.itertuples(index=False)],
        "probability": [float(p) for p in proba],
        "raw": [float(r) for r in raw],
        "contributions": [[float(v) for v in r] for r in contrib] if contrib is not None else None,
        "contributions_reference": reference,
    }
    (folder / "rows.json").write_text(json.dumps(payload, allow_nan=False) + "\n")
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"{name}: {len(rows)} rows, {len(doc['estimator'].get('trees', []))} trees, {size / 1024:.0f} KB")
    return doc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "Tests/ScoringTests/Fixtures/sklearn")
    args = ap.parse_args()
    out = args.out

    cdf, cy, ccats = credit()
    cnums = [c for c in cdf.columns if c not in ccats]
    train, ytrain, test = split(cdf, cy)

    # Bare trees on the numeric inputs, NaN included (missing_go_to_left).
    numeric_train, numeric_test = train[cnums], test[cnums]
    dt = DecisionTreeClassifier(max_depth=6, random_state=0).fit(numeric_train, ytrain)
    doc = _doc(dt)
    write_case(out, "decision_tree", dt, with_edge_rows(dt, doc, numeric_test, [], doc["estimator"]["trees"]))

    rf = RandomForestClassifier(n_estimators=20, max_depth=4, random_state=0).fit(numeric_train, ytrain)
    doc = _doc(rf)
    write_case(out, "random_forest", rf, with_edge_rows(rf, doc, numeric_test, [], doc["estimator"]["trees"]))

    # The lender's artefact: RandomForest behind ColumnTransformer(imputer + one-hot
    # (unknown ignored) on categoricals, imputer on numerics).
    pre = ColumnTransformer([
        ("categorical", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                      OneHotEncoder(handle_unknown="ignore")), ccats),
        ("numeric", SimpleImputer(strategy="median"), cnums),
    ])
    rfp = Pipeline([("prepare", pre), ("forest", RandomForestClassifier(n_estimators=20, max_depth=5, random_state=0))])
    rfp.fit(train, ytrain)
    doc = _doc(rfp)
    write_case(out, "random_forest_pipeline", rfp, with_edge_rows(rfp, doc, test, ccats, doc["estimator"]["trees"]))

    # One-hot with NaN as its own category and drop="first"; mean/constant imputers; GradientBoosting.
    pre = ColumnTransformer([
        ("categorical", OneHotEncoder(handle_unknown="ignore", drop="first", sparse_output=False), ccats),
        ("income", SimpleImputer(strategy="constant", fill_value=-1.0), ["Income"]),
        ("numeric", SimpleImputer(strategy="mean"), [c for c in cnums if c != "Income"]),
    ])
    gb = Pipeline([("prepare", pre), ("boost", GradientBoostingClassifier(n_estimators=20, max_depth=3, random_state=0))])
    gb.fit(train, ytrain)
    doc = _doc(gb)
    write_case(out, "gradient_boosting_pipeline", gb, with_edge_rows(gb, doc, test, ccats, doc["estimator"]["trees"]))

    # HistGradientBoosting with pandas categories (1.9: categorical columns first, ordinal-encoded).
    def as_category(frame, reference=train):
        frame = frame.copy()
        for c in ccats:
            known = sorted(v for v in reference[c].dropna().unique())
            frame[c] = pd.Categorical(frame[c].where(frame[c].isin(known)), categories=known)
        return frame

    hgb = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=15, categorical_features="from_dtype", random_state=0)
    hgb.fit(as_category(train), ytrain)
    doc = _doc(hgb)
    write_case(out, "hist_gradient_boosting_categorical", hgb,
               with_edge_rows(hgb, doc, test, ccats, doc["estimator"]["trees"]), contributions=None, frame=as_category)

    ldf, ly, lcats = lending()
    lnums = [c for c in ldf.columns if c not in lcats]
    ltrain, lytrain, ltest = split(ldf, ly, seed=2)
    ltrain, lytrain = ltrain.iloc[:6000], lytrain[:6000]

    # HistGradientBoosting on numbers only (shap reads its numeric splits).
    hgbn = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=8, random_state=0).fit(ltrain[lnums], lytrain)
    doc = _doc(hgbn)
    write_case(out, "hist_gradient_boosting", hgbn, with_edge_rows(hgbn, doc, ltest[lnums], [], doc["estimator"]["trees"]))

    # ExtraTrees with an OrdinalEncoder and a passthrough remainder.
    pre = ColumnTransformer([
        ("categorical", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), lcats),
    ], remainder="passthrough")
    et = Pipeline([("prepare", pre), ("trees", ExtraTreesClassifier(n_estimators=20, max_depth=4, random_state=0))])
    et.fit(ltrain, lytrain)
    doc = _doc(et)
    write_case(out, "extra_trees_pipeline", et, with_edge_rows(et, doc, ltest, lcats, doc["estimator"]["trees"]))

    # LogisticRegression behind imputers, one-hot and a scaler.
    pre = ColumnTransformer([
        ("categorical", make_pipeline(SimpleImputer(strategy="constant", fill_value="missing"),
                                      OneHotEncoder(handle_unknown="ignore")), ccats),
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), cnums),
    ])
    lr = Pipeline([("prepare", pre), ("model", LogisticRegression(max_iter=1000))]).fit(train, ytrain)
    write_case(out, "logistic_regression_pipeline", lr, with_edge_rows(lr, _doc(lr, train), test, ccats),
               background=train, contributions="linear")


def _doc(model, background=None):
    from export_sklearn import document
    return document(model, background)


if __name__ == "__main__":
    main()
