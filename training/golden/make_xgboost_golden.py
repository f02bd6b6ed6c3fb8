#!/usr/bin/env python3
"""Regenerate the XGBoost golden fixtures used by the Swift tests (XGBoost*Tests.swift).

    python training/golden/make_xgboost_golden.py [--out Tests/ScoringTests/Fixtures/xgboost]

Trained with the real xgboost (pinned in training/requirements.txt) on Data/datasets. Each
case gets, in <out>/:

    <case>.json, <case>.ubj   Booster.save_model of the same model, JSON and UBJSON
    <case>.input.csv          rows to score, one column per model feature, in model order:
                              a number (repr of the float64 handed to XGBoost), empty for
                              missing, "unseen" for a category label the model never saw
                              (XGBoost 3.2 refuses such a label in a DataFrame; LoanRisk
                              scores it as missing, so it is expected as XGBoost scores NaN)
    <case>.expected.csv       row, margin and probability as float32 bit patterns (8 hex
                              digits: bit-exact), then pred_contribs (each float32 in its shortest form),
                              the last being the bias column

Categorical features are the category's position in the model's `cats` (XGBoost's own
codes), fed to XGBoost as numbers with the model's feature_types: the same codes a bundle's
labels map to. The rows: dataset rows, rows with NaNs, every numeric split's condition
exactly (and the float64 values on either side that round to it or not), out-of-range
category codes.

Refusal cases (`gblinear`, `multiclass`) have only a JSON model.
Deterministic: fixed seeds, nthread=1, tree_method="hist".
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xgboost as xgb  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "Data" / "datasets"
DEFAULT_OUT = REPO / "Tests" / "ScoringTests" / "Fixtures" / "xgboost"
UNSEEN = "unseen"
BASE = {"tree_method": "hist", "nthread": 1, "seed": 7, "max_bin": 64}


def credit_numeric() -> tuple[pd.DataFrame, np.ndarray]:
    """credit_data's numeric columns (Income, Assets, Debt have NaNs); label: Status bad."""
    df = pd.read_csv(DATA / "credit_data.csv")
    y = (df.pop("Status") == "bad").astype(int).to_numpy()
    cols = ["Seniority", "Time", "Age", "Expenses", "Income", "Assets", "Debt", "Amount", "Price"]
    return df[cols].astype(float), y


def lending_frame() -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """lending_club with its text columns as pandas categories; label: Class bad."""
    df = pd.read_csv(DATA / "lending_club.csv")
    y = (df.pop("Class") == "bad").astype(int).to_numpy()
    cats = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    for c in cats:
        df[c] = df[c].astype("category")
    return df, y, cats


def f32hex(x) -> str:
    return format(np.float32(x).view(np.uint32), "08x")


def probe_rows(booster: xgb.Booster, base: np.ndarray, categorical: set[int], rng) -> np.ndarray:
    """Rows that put every numeric split's condition, and the float64 values right beside
    it (those that round to it as float32 and those that do not), on a dataset row; and
    out-of-range or negative category codes."""
    model = json.loads(booster.save_raw("json"))
    booster_json = model["learner"]["gradient_booster"]
    trees = (booster_json["gbtree"] if booster_json["name"] == "dart" else booster_json)["model"]["trees"]
    rows = []
    seen = set()
    for tree in trees:
        for node, feature in enumerate(tree["split_indices"]):
            if tree["left_children"][node] == -1 or feature in categorical:
                continue
            c = np.float32(tree["split_conditions"][node])
            if (feature, float(c)) in seen or len(seen) >= 14:
                continue
            seen.add((feature, float(c)))
            below = float(np.nextafter(c, np.float32(-np.inf)))
            mid = (below + float(c)) / 2  # a tie: rounds to the even one of below and c
            for v in (float(c), math.nextafter(float(c), -math.inf), math.nextafter(float(c), math.inf),
                      mid, math.nextafter(mid, -math.inf), math.nextafter(mid, math.inf), below):
                row = base[rng.integers(len(base))].copy()
                row[feature] = v
                rows.append(row)
    for feature in sorted(categorical):
        for v in (-1.0, -0.5, 0.5, 2.9999999999, 1000.0, 16777216.0, 3e9):
            row = base[rng.integers(len(base))].copy()
            row[feature] = v
            rows.append(row)
    return np.array(rows).reshape(-1, base.shape[1])


def write_case(out: Path, name: str, booster: xgb.Booster, X: np.ndarray, unseen: np.ndarray,
               n_trees: int | None = None, proba: np.ndarray | None = None) -> None:
    booster.save_model(out / f"{name}.json")
    booster.save_model(out / f"{name}.ubj")
    names = booster.feature_names
    types = booster.feature_types
    Xs = X.copy()
    Xs[unseen] = np.nan
    dm = xgb.DMatrix(Xs, feature_names=names, feature_types=types, enable_categorical=True, missing=np.nan)
    rng = (0, n_trees) if n_trees else (0, 0)
    margin = booster.predict(dm, output_margin=True, iteration_range=rng)
    contribs = booster.predict(dm, pred_contribs=True, iteration_range=rng)
    # XGBoost's own sigmoid of each margin: a model whose trees all output 0 (learning rate
    # 0), given the margin as base_margin. (binary:logitraw's predict() is the margin.)
    sigmoid = sigmoid_oracle(len(names))
    prob = sigmoid.predict(xgb.DMatrix(np.zeros((len(X), len(names))), base_margin=margin))
    if booster.attr("objective") is None and json.loads(booster.save_config())["learner"]["objective"]["name"] == "binary:logistic":
        direct = booster.predict(dm, iteration_range=rng)
        assert (direct.view(np.uint32) == prob.view(np.uint32)).all(), name
    if proba is not None:
        assert (proba.astype(np.float32).view(np.uint32) == prob.view(np.uint32)).all(), name
    assert np.allclose(contribs.sum(axis=1), margin, atol=1e-4), name
    with open(out / f"{name}.input.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        for i, row in enumerate(X):
            w.writerow([UNSEEN if unseen[i, j] else ("" if math.isnan(v) else repr(float(v))) for j, v in enumerate(row)])
    with open(out / f"{name}.expected.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["row", "margin", "probability"] + [f"contrib_{n}" for n in names] + ["bias"])
        for i in range(len(X)):
            w.writerow([i, f32hex(margin[i]), f32hex(prob[i])] + [str(np.float32(v)) for v in contribs[i]])
    print(f"{name}: {len(X)} rows, {booster.num_boosted_rounds()} rounds")


_SIGMOID = {}


def sigmoid_oracle(n_features: int) -> xgb.Booster:
    if n_features not in _SIGMOID:
        X = np.random.default_rng(0).normal(size=(50, n_features))
        y = np.arange(50) % 2
        b = xgb.train({**BASE, "objective": "binary:logistic", "learning_rate": 0.0, "max_depth": 1},
                      xgb.DMatrix(X, y), 1)
        tree = json.loads(b.save_raw("json"))["learner"]["gradient_booster"]["model"]["trees"][0]
        assert all(v == 0 for v, l in zip(tree["split_conditions"], tree["left_children"]) if l == -1)
        _SIGMOID[n_features] = b
    return _SIGMOID[n_features]


def rows_for(df: pd.DataFrame, booster: xgb.Booster, categorical: list[str], seed: int, count: int = 60):
    rng = np.random.default_rng(seed)
    codes = np.column_stack([
        np.where(df[c].cat.codes.to_numpy() < 0, np.nan, df[c].cat.codes.to_numpy()).astype(float) if c in categorical
        else df[c].to_numpy(float) for c in df.columns])
    sample = codes[rng.choice(len(codes), count, replace=False)]
    nan_rows = sample[:12].copy()
    nan_rows[rng.random(nan_rows.shape) < 0.4] = np.nan
    all_nan = np.full((1, codes.shape[1]), np.nan)
    cat_idx = {df.columns.get_loc(c) for c in categorical}
    probes = probe_rows(booster, codes, cat_idx, rng)
    X = np.vstack([sample, nan_rows, all_nan, probes])
    unseen = np.zeros(X.shape, dtype=bool)
    for j in sorted(cat_idx):
        for i in rng.choice(len(sample), 3, replace=False):
            unseen[i, j] = True
    return X, unseen


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    print("xgboost", xgb.__version__)

    # 1. Numeric with NaNs (credit_data), binary:logistic.
    Xn, yn = credit_numeric()
    b = xgb.train({**BASE, "objective": "binary:logistic", "max_depth": 4, "learning_rate": 0.3},
                  xgb.DMatrix(Xn, yn, missing=np.nan), 30)
    X, unseen = rows_for(Xn, b, [], 1)
    write_case(out, "numeric_nan", b, X, unseen)

    # 2. Native categorical splits (lending_club, pandas categories, partition splits).
    df, y, cats = lending_frame()
    b = xgb.train({**BASE, "objective": "binary:logistic", "max_depth": 4, "learning_rate": 0.3,
                   "max_cat_to_onehot": 1}, xgb.DMatrix(df, y, enable_categorical=True), 20)
    model = json.loads(b.save_raw("json"))["learner"]
    assert 1 in {t for tree in model["gradient_booster"]["model"]["trees"] for t in tree["split_type"]}
    assert "cats" in model["gradient_booster"]["model"]
    X, unseen = rows_for(df, b, cats, 2)
    # The model's codes are the training frame's category order (`cats`): the frame and its codes agree.
    frame = df.iloc[:50]
    codes = np.column_stack([frame[c].cat.codes.to_numpy().astype(float) if c in cats else frame[c].to_numpy(float)
                             for c in df.columns])
    direct = b.predict(xgb.DMatrix(frame, enable_categorical=True), output_margin=True)
    coded = b.predict(xgb.DMatrix(codes, feature_names=b.feature_names, feature_types=b.feature_types,
                                  enable_categorical=True), output_margin=True)
    assert (direct.view(np.uint32) == coded.view(np.uint32)).all()
    write_case(out, "categorical", b, X, unseen)

    # 3. DART (credit_data numeric): weights per tree.
    b = xgb.train({**BASE, "booster": "dart", "objective": "binary:logistic", "max_depth": 3,
                   "rate_drop": 0.2, "skip_drop": 0.0, "learning_rate": 0.3},
                  xgb.DMatrix(Xn, yn), 20)
    X, unseen = rows_for(Xn, b, [], 3, count=40)
    write_case(out, "dart", b, X, unseen)

    # 4. binary:logitraw (lending_club numeric columns only).
    num = df[[c for c in df.columns if c not in cats]]
    b = xgb.train({**BASE, "objective": "binary:logitraw", "max_depth": 3, "learning_rate": 0.3},
                  xgb.DMatrix(num, y), 20)
    X, unseen = rows_for(num, b, [], 4, count=40)
    write_case(out, "logitraw", b, X, unseen)

    # 5. Early-stopped XGBClassifier: predict_proba stops at best_iteration.
    rng = np.random.default_rng(5)
    idx = rng.permutation(len(Xn))
    tr, va = idx[: len(idx) * 3 // 4], idx[len(idx) * 3 // 4:]
    clf = xgb.XGBClassifier(n_estimators=300, max_depth=4, learning_rate=0.5, early_stopping_rounds=5,
                            tree_method="hist", n_jobs=1, random_state=7, max_bin=64)
    clf.fit(Xn.iloc[tr], yn[tr], eval_set=[(Xn.iloc[va], yn[va])], verbose=False)
    booster = clf.get_booster()
    best = clf.best_iteration
    assert best + 1 < booster.num_boosted_rounds(), "early stopping did not stop early"
    X, unseen = rows_for(Xn, booster, [], 5, count=40)
    proba = clf.predict_proba(pd.DataFrame(X, columns=Xn.columns))[:, 1]
    full = booster.predict(xgb.DMatrix(X, feature_names=booster.feature_names))
    assert not np.array_equal(full, proba)
    write_case(out, "early_stopped", booster, X, unseen, n_trees=best + 1, proba=proba)
    print(f"early_stopped: best_iteration {best} of {booster.num_boosted_rounds()} rounds")

    # Refusals: gblinear and a 3-class model.
    b = xgb.train({**BASE, "booster": "gblinear", "objective": "binary:logistic"}, xgb.DMatrix(Xn.fillna(0), yn), 3)
    b.save_model(out / "gblinear.json")
    y3 = np.arange(len(Xn)) % 3
    b = xgb.train({**BASE, "objective": "multi:softprob", "num_class": 3, "max_depth": 2}, xgb.DMatrix(Xn, y3), 2)
    b.save_model(out / "multiclass.json")


if __name__ == "__main__":
    main()
