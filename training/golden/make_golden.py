#!/usr/bin/env python3
"""Regenerate the LightGBM golden fixtures used by the Swift scoring tests.

    python training/golden/make_golden.py [--out Tests/ScoringTests/Fixtures/golden]

Every case gets a folder <out>/<case>/ with

    model.txt     booster.save_model(...) output (LightGBM 4.7.0)
    input.csv     rows to score, RAW as a user would upload them
    expected.csv  row,raw_score,probability   (booster.predict on the frame input.csv represents)
    contrib.csv   row,<features...>,expected_value   (booster.predict(pred_contrib=True))
    case.json     description, objective, params, features exercised, checks that passed

The two `unsupported_*` cases only have model.txt and case.json.

Everything is deterministic: fixed seeds, deterministic=True, num_threads=1,
force_row_wise=True. Each case asserts that the model file really contains the format
feature it is named for (decision_type values, cat_threshold words, average_output, ...),
see the `check_*` calls. The script aborts on the first failed check.

Predictions are always computed from input.csv as parsed by `parse_input_csv` below,
which is the contract the Swift reader has to implement:
  * missing: an empty field, or (case-insensitively) NA, NaN, null, None, N/A;
  * numeric features: Python float() of the token (written with repr(), so the shortest
    round-trip representation: Swift's Double(String) yields the identical double);
  * pandas-categorical features (model file has `pandas_categorical:[[...], ...]`): the
    token is a label; its code is its position in the model's list for that column;
    labels not in the list are missing (NaN), which is what LightGBM itself does;
  * integer-coded categorical features (`pandas_categorical:null`): parsed as numbers.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import shutil
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "Tests" / "ScoringTests" / "Fixtures" / "golden"

MISSING_TOKENS = {"", "na", "nan", "null", "none", "n/a"}

BASE_PARAMS = {
    "objective": "binary",
    "deterministic": True,
    "num_threads": 1,
    "force_row_wise": True,
    "verbosity": -1,
    "seed": 42,
    "bagging_seed": 3,
    "feature_fraction_seed": 2,
    "data_random_seed": 1,
}

# LightGBM's kZeroThreshold is the float literal 1e-35f; as a double it is this value.
K_ZERO_THRESHOLD = float(np.float32(1e-35))  # 1.0000000180025095e-35


# --------------------------------------------------------------------------------------
# small utilities
# --------------------------------------------------------------------------------------

def r(x) -> str:
    """repr of a Python float (never numpy's 'np.float64(...)')."""
    return repr(float(x))


def int_or_float_token(x, missing="") -> str:
    """Integer-coded values as integers ('17', '-3'), others via repr ('3.7')."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return missing
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return r(x)


def is_missing_token(tok: str) -> bool:
    return tok.lower() in MISSING_TOKENS


def parse_model(text: str) -> dict:
    """Minimal parser for the checks: header dict, list of tree dicts, pandas_categorical."""
    lines = text.split("\n")
    header = {}
    trees = []
    cur = None
    i = 0
    in_header = True
    while i < len(lines):
        line = lines[i]
        if line.startswith("end of trees"):
            break
        if in_header:
            if line.startswith("Tree="):
                in_header = False
            elif line.strip() == "":
                i += 1
                continue
            else:
                if "=" in line:
                    k, v = line.split("=", 1)
                    header[k] = v
                else:
                    header[line.strip()] = True
                i += 1
                continue
        if line.startswith("Tree="):
            cur = {"index": int(line.split("=", 1)[1])}
            trees.append(cur)
        elif "=" in line and cur is not None:
            k, v = line.split("=", 1)
            cur[k] = v
        i += 1
    m = re.search(r"^pandas_categorical:(.*)$", text, re.M)
    pandas_categorical = json.loads(m.group(1)) if m else "ABSENT"
    for t in trees:
        t["num_leaves"] = int(t["num_leaves"])
        t["num_cat"] = int(t.get("num_cat", "0"))
        ints = lambda s: [int(v) for v in s.split()] if s.strip() else []  # noqa: E731
        t["decision_types"] = ints(t.get("decision_type", ""))
        t["split_features"] = ints(t.get("split_feature", ""))
        t["thresholds"] = [float(v) for v in t.get("threshold", "").split()]
        t["leaf_values"] = [float(v) for v in t.get("leaf_value", "").split()]
        t["cat_boundaries_list"] = ints(t.get("cat_boundaries", ""))
    return {"header": header, "trees": trees, "pandas_categorical": pandas_categorical}


def numeric_thresholds(model: dict, feature: int, limit: int = 4) -> list[float]:
    """Distinct numeric thresholds of a feature, spread over their range."""
    th = sorted({t["thresholds"][k]
                 for t in model["trees"]
                 for k, f in enumerate(t["split_features"])
                 if f == feature and not (t["decision_types"][k] & 1)})
    if len(th) <= limit:
        return th
    idx = np.linspace(0, len(th) - 1, limit).round().astype(int)
    return [th[j] for j in sorted(set(idx))]


class Checks:
    def __init__(self, case: str):
        self.case = case
        self.passed: list[str] = []

    def __call__(self, cond: bool, what: str):
        if not cond:
            raise AssertionError(f"[{self.case}] check failed: {what}")
        self.passed.append(what)



# --------------------------------------------------------------------------------------
# an independent pure-Python evaluator of the text format (what the Swift side implements)
# --------------------------------------------------------------------------------------

class RefTree:
    def __init__(self, t: dict):
        ints = lambda k: [int(v) for v in t.get(k, "").split()]  # noqa: E731
        flts = lambda k: [float(v) for v in t.get(k, "").split()]  # noqa: E731
        self.num_leaves = t["num_leaves"]
        self.split_feature = ints("split_feature")
        self.threshold = flts("threshold")
        self.decision_type = ints("decision_type")
        self.left = ints("left_child")
        self.right = ints("right_child")
        self.leaf_value = flts("leaf_value")
        self.cat_boundaries = ints("cat_boundaries")
        self.cat_threshold = ints("cat_threshold")
        self.is_linear = t.get("is_linear", "0") == "1"
        if self.is_linear:
            self.leaf_const = flts("leaf_const")
            counts = ints("num_features")
            feats = ints("leaf_features")
            coeffs = flts("leaf_coeff")
            self.leaf_features, self.leaf_coeff, k = [], [], 0
            for c in counts:
                self.leaf_features.append(feats[k:k + c])
                self.leaf_coeff.append(coeffs[k:k + c])
                k += c

    def leaf(self, x, mistakes) -> int:
        if self.num_leaves == 1:
            return 0
        node = 0
        kz = 1e-35 if "zero_threshold_double" in mistakes else K_ZERO_THRESHOLD
        while node >= 0:
            v = x[self.split_feature[node]]
            dt = self.decision_type[node]
            if dt & 1:  # categorical
                go_left = False
                if math.isnan(v):
                    if "cat_nan_as_zero" in mistakes:
                        v = 0.0
                    else:
                        go_left = None
                if go_left is not None:
                    iv = math.floor(v) if "cat_floor" in mistakes else int(v)  # int(): toward 0
                    if iv >= 0:
                        k = int(self.threshold[node])
                        words = self.cat_threshold[self.cat_boundaries[k]:self.cat_boundaries[k + 1]]
                        w = iv // 32
                        go_left = w < len(words) and bool((words[w] >> (iv % 32)) & 1)
                    else:
                        go_left = False
                node = self.left[node] if go_left else self.right[node]
                continue
            missing_type = (dt >> 2) & 3
            default_left = bool(dt & 2) and "ignore_default_left" not in mistakes
            if math.isnan(v) and missing_type != 2:
                if "none_nan_default" in mistakes and missing_type == 0:
                    node = self.left[node] if default_left else self.right[node]
                    continue
                v = 0.0
            if (missing_type == 1 and -kz <= v <= kz) or (missing_type == 2 and math.isnan(v)):
                node = self.left[node] if default_left else self.right[node]
            elif (v < self.threshold[node]) if "strict_less" in mistakes else (v <= self.threshold[node]):
                node = self.left[node]
            else:
                node = self.right[node]
        return ~node

    def predict(self, x, mistakes) -> float:
        leaf = self.leaf(x, mistakes)
        if self.is_linear and "ignore_linear" not in mistakes:
            out = self.leaf_const[leaf]
            for f, c in zip(self.leaf_features[leaf], self.leaf_coeff[leaf]):
                if math.isnan(x[f]):
                    return self.leaf_value[leaf]
                out += c * x[f]
            return out
        return self.leaf_value[leaf]


def reference_raw(model: dict, X: np.ndarray, mistakes=frozenset()) -> np.ndarray:
    """Sum of tree outputs in file order, like LightGBM's PredictRaw (no averaging)."""
    trees = [RefTree(t) for t in model["trees"]]
    kz = 1e-35 if "zero_threshold_double" in mistakes else K_ZERO_THRESHOLD
    out = np.empty(len(X))
    for i, row in enumerate(X):
        # LightGBM's predictor only copies values with |v| > kZeroThreshold (or NaN):
        # anything smaller is evaluated as exactly 0.0
        x = [0.0 if (abs(v) <= kz and "no_zero_squash" not in mistakes) else float(v) for v in row]
        total = 0.0
        for t in trees:
            total += t.predict(x, mistakes)
        out[i] = total
    return out


def frame_to_matrix(X: pd.DataFrame, mistakes=frozenset()) -> np.ndarray:
    """pandas categorical -> code (position in the category list), unknown -> NaN."""
    cols = []
    for name in X.columns:
        col = X[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            if "cat_sorted_order" in mistakes:
                cats = sorted(col.cat.categories)
                codes = np.array([cats.index(v) if isinstance(v, str) else math.nan
                                  for v in col], dtype=np.float64)
            else:
                codes = col.cat.codes.to_numpy().astype(np.float64)
                codes[codes < 0] = math.nan
            cols.append(codes)
        else:
            cols.append(col.to_numpy(dtype=np.float64))
    return np.column_stack(cols)


MISTAKES = {
    "strict_less": "numeric split uses v < threshold instead of v <= threshold",
    "ignore_default_left": "missing values always go right",
    "none_nan_default": "missing type None: NaN goes to the default side instead of being 0.0",
    "zero_threshold_double": "zero test |v| <= 1e-35 (double) instead of (double)1e-35f",
    "no_zero_squash": "tiny values (|v| <= 1e-35f) not turned into 0.0 before evaluation",
    "cat_floor": "categorical value floored instead of truncated toward zero",
    "cat_nan_as_zero": "categorical NaN treated as category 0 (pre-3.3 rule)",
    "cat_sorted_order": "pandas categories coded in sorted order instead of list order",
    "ignore_linear": "linear leaves evaluated as plain leaf_value",
}

# --------------------------------------------------------------------------------------
# reading input.csv back (the reference for the Swift reader)
# --------------------------------------------------------------------------------------

def parse_input_csv(path: Path, feature_names: list[str], pandas_cats: dict[str, list]) -> pd.DataFrame:
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert header == feature_names, (header, feature_names)
    cols = {}
    for j, name in enumerate(feature_names):
        toks = [row[j] for row in body]
        if name in pandas_cats:
            known = set(pandas_cats[name])
            # missing token or label not in the model's list -> NaN (as LightGBM does)
            labels = [None if is_missing_token(t) or t not in known else t for t in toks]
            cols[name] = pd.Categorical(labels, categories=pandas_cats[name])
        else:
            cols[name] = np.array([math.nan if is_missing_token(t) else float(t) for t in toks],
                                  dtype=np.float64)
    return pd.DataFrame(cols, columns=feature_names)


def write_csv(path: Path, header: list[str], rows: list[list[str]]):
    for row in rows:
        assert len(row) == len(header)
        for tok in row:
            assert "," not in tok and '"' not in tok and "\n" not in tok, tok
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


# --------------------------------------------------------------------------------------
# writing one case
# --------------------------------------------------------------------------------------

def finish_case(out: Path, case: str, booster: lgb.Booster, rows: list[list[str]],
                description: str, params: dict, exercises: list[str], checks: Checks,
                train_rows: int, pandas_cat_cols: list[str] | None = None,
                contrib: bool = True, extra: dict | None = None,
                check_model=None, catches: list[str] | None = None):
    d = out / case
    d.mkdir(parents=True, exist_ok=True)
    model_path = d / "model.txt"
    booster.save_model(str(model_path))
    text = model_path.read_text()
    model = parse_model(text)
    loaded = lgb.Booster(model_file=str(model_path))
    feature_names = loaded.feature_name()
    checks(text.startswith("tree\nversion=v4\n"), "file starts with 'tree' / 'version=v4'")

    pandas_cats = {}
    if pandas_cat_cols:
        pc = model["pandas_categorical"]
        checks(isinstance(pc, list) and len(pc) == len(pandas_cat_cols),
               f"pandas_categorical has {len(pandas_cat_cols)} lists")
        pandas_cats = dict(zip(pandas_cat_cols, pc))
    else:
        checks("\npandas_categorical:null\n" in text, "pandas_categorical:null")

    if check_model is not None:
        check_model(text, model, checks)

    input_path = d / "input.csv"
    write_csv(input_path, feature_names, rows)
    X = parse_input_csv(input_path, feature_names, pandas_cats)
    if not pandas_cats:
        X_pred = X.to_numpy(dtype=np.float64)
    else:
        X_pred = X

    raw = loaded.predict(X_pred, raw_score=True)
    prob = loaded.predict(X_pred)
    # the in-memory booster and the file agree (the file is what Swift reads)
    raw_mem = booster.predict(X_pred, raw_score=True)
    checks(np.array_equal(raw, raw_mem), "model.txt reloaded predicts bit-identically to the trained booster")
    sigma = float(re.search(r"^objective=binary sigmoid:(\S+)$", text, re.M).group(1))
    average_output = "\naverage_output\n" in text.split("\nTree=0\n")[0] + "\n"
    if average_output:
        # LightGBM quirk: predict(raw_score=True) and pred_contrib do NOT divide by the number
        # of iterations for average_output models; only the transformed prediction does
        # (GBDT::Predict divides, GBDT::PredictRaw does not).
        n_iter = len(model["trees"])
        checks(np.array_equal(prob, 1.0 / (1.0 + np.exp(-sigma * (raw / n_iter)))),
               f"average_output: probability == 1/(1+exp(-{sigma}*(raw_score/{n_iter}))) "
               "bit-for-bit; raw_score is LightGBM's un-averaged SUM")
    else:
        with np.errstate(over="ignore"):
            checks(np.allclose(prob, 1.0 / (1.0 + np.exp(-sigma * raw)), rtol=1e-15, atol=0),
                   f"probability == 1/(1+exp(-{sigma}*raw))")

    with open(d / "expected.csv", "w", newline="") as fh:
        fh.write("row,raw_score,probability\n")
        for i, (a, b) in enumerate(zip(raw, prob)):
            fh.write(f"{i},{r(a)},{r(b)}\n")

    # the independent evaluator reproduces LightGBM bit for bit ...
    M = frame_to_matrix(X)
    ref = reference_raw(model, M)
    checks(np.array_equal(ref, raw),
           "independent Python evaluator of model.txt reproduces raw_score bit-for-bit")
    # ... and each plausible mistake that this case is meant to catch changes some rows
    sensitivity = {}
    for mistake in MISTAKES:
        Mm = frame_to_matrix(X, {mistake}) if mistake == "cat_sorted_order" else M
        diff = int(np.sum(reference_raw(model, Mm, frozenset({mistake})) != raw))
        sensitivity[mistake] = diff
    for mistake in (catches or []):
        checks(sensitivity[mistake] > 0,
               f"fixture catches '{mistake}' ({sensitivity[mistake]} rows change)")

    contrib_info = None
    if contrib:
        c = loaded.predict(X_pred, pred_contrib=True)
        assert c.shape == (len(rows), len(feature_names) + 1)
        checks(np.allclose(c.sum(axis=1), raw, rtol=0, atol=1e-9),
               "contributions sum to raw_score (|diff| <= 1e-9)")
        with open(d / "contrib.csv", "w", newline="") as fh:
            fh.write("row," + ",".join(feature_names) + ",expected_value\n")
            for i, vals in enumerate(c):
                fh.write(f"{i}," + ",".join(r(v) for v in vals) + "\n")
        contrib_info = "contrib.csv"
    else:
        stale = d / "contrib.csv"
        if stale.exists():
            stale.unlink()

    meta = {
        "case": case,
        "description": description,
        "objective": model["header"]["objective"],
        "lightgbm_version": lgb.__version__,
        "feature_names": feature_names,
        "pandas_categorical_columns": pandas_cat_cols or [],
        "num_trees": len(model["trees"]),
        "train_rows": train_rows,
        "scored_rows": len(rows),
        "params": params,
        "exercises": exercises,
        "contrib": contrib_info,
        "checks_passed": checks.passed,
        "rows_changed_by_mistake": {k: v for k, v in sensitivity.items()},
    }
    if extra:
        meta.update(extra)
    (d / "case.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"  {case}: {len(model['trees'])} trees, {len(rows)} rows, {len(checks.passed)} checks ok")


def train(params: dict, X, y, rounds: int, categorical_feature="auto", feature_name="auto",
          init_model=None) -> lgb.Booster:
    ds = lgb.Dataset(X, label=y, categorical_feature=categorical_feature,
                     feature_name=feature_name, free_raw_data=False)
    return lgb.train(params, ds, num_boost_round=rounds, init_model=init_model)


def decision_types(model: dict) -> set[int]:
    return {d for t in model["trees"] for d in t["decision_types"]}


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def missing_token_cycle():
    toks = ["", "NA", "NaN", "nan", "null", "NULL", "None", "N/A", "n/a", "na", "NONE",
            "Null", "nAn", "n/A", "NoNe"]
    i = 0
    while True:
        yield toks[i % len(toks)]
        i += 1


# --------------------------------------------------------------------------------------
# numeric frames shared by several cases
# --------------------------------------------------------------------------------------

NUMERIC_NAMES = ["income", "debt_ratio", "age", "utilization", "inquiries", "score"]


def numeric_frame(rng, n: int) -> np.ndarray:
    income = np.round(rng.lognormal(10.5, 0.6, n), 2)
    debt = rng.beta(2, 5, n)
    age = rng.integers(18, 80, n).astype(float)
    util = rng.uniform(0, 1.2, n)
    inq = rng.poisson(1.5, n).astype(float)
    score = rng.normal(650, 80, n)
    return np.column_stack([income, debt, age, util, inq, score])


def numeric_rows_from_matrix(X: np.ndarray, missing_tokens=None) -> list[list[str]]:
    out = []
    for row in X:
        toks = []
        for v in row:
            if math.isnan(v):
                toks.append(next(missing_tokens) if missing_tokens else "")
            else:
                toks.append(r(v))
        out.append(toks)
    return out


def probe_rows(base: list[str], model: dict, features: list[int], extra_values: list[float],
               per_feature_thresholds: int = 3) -> list[list[str]]:
    """Copies of `base` with one feature replaced by a threshold, its next double up,
    and each of `extra_values`."""
    rows = []
    for f in features:
        vals = []
        for t in numeric_thresholds(model, f, per_feature_thresholds):
            vals += [t, float(np.nextafter(t, np.inf))]
        vals += extra_values
        for v in vals:
            row = list(base)
            row[f] = "" if (isinstance(v, float) and math.isnan(v)) else r(v)
            rows.append(row)
    return rows


# --------------------------------------------------------------------------------------
# the cases
# --------------------------------------------------------------------------------------

def case_numeric_missing_nan(out: Path):
    case = "numeric_missing_nan"
    ck = Checks(case)
    rng = np.random.default_rng(101)
    n = 800
    X = numeric_frame(rng, n)
    inc_miss = rng.random(n) < 0.2
    util_miss = rng.random(n) < 0.2
    score_miss = rng.random(n) < 0.15
    z_inc = (np.log(X[:, 0]) - 10.5) / 0.6
    logit = (-0.3 - 1.2 * z_inc + 2.5 * (X[:, 1] - 0.3) + 2.0 * (X[:, 3] - 0.6)
             + 0.3 * (X[:, 4] - 1.5) - 0.01 * (X[:, 5] - 650))
    # missing income -> risky (goes with low incomes: left), missing utilization -> risky
    # (goes with high utilization: right), missing score -> safe (goes with high scores: right
    # ... or left, LightGBM decides; the check only requires both 8 and 10 to appear)
    logit = logit + 2.0 * inc_miss + 2.0 * util_miss - 1.5 * score_miss
    y = (rng.random(n) < sigmoid(logit)).astype(float)
    X[inc_miss, 0] = np.nan
    X[util_miss, 3] = np.nan
    X[score_miss, 5] = np.nan
    params = {**BASE_PARAMS, "num_leaves": 8, "learning_rate": 0.1, "min_data_in_leaf": 10}
    booster = train(params, X, y, 40, feature_name=NUMERIC_NAMES)
    model = parse_model(booster.model_to_string())

    def check_model(text, m, checks):
        dt = decision_types(m)
        checks(8 in dt, "decision_type 8 present (missing NaN, default right)")
        checks(10 in dt, "decision_type 10 present (missing NaN, default left)")
        checks(dt <= {0, 2, 8, 10}, f"only numeric decision types {sorted(dt)}")

    # scored rows: held-out rows with missing written with every missing token
    rng2 = np.random.default_rng(102)
    S = numeric_frame(rng2, 70)
    S[rng2.random(70) < 0.25, 0] = np.nan
    S[rng2.random(70) < 0.25, 3] = np.nan
    S[rng2.random(70) < 0.2, 5] = np.nan
    S[rng2.random(70) < 0.1, 1] = np.nan  # never missing in training -> missing type None there
    rows = numeric_rows_from_matrix(S, missing_token_cycle())
    base = numeric_rows_from_matrix(S[:1])[0]
    rows += probe_rows(base, model, [0, 1, 3, 5], [math.nan, 0.0, -0.0], 3)
    # a row that is entirely missing, with mixed tokens
    rows.append(["", "NA", "nan", "NULL", "None", "N/A"])
    finish_case(out, case, booster, rows,
                "Numeric features with NaN in training: missing type NaN with default_left "
                "true and false. Missing cells written as empty fields and as NA/NaN/null/None/N/A "
                "in several letter cases. Probe rows put values exactly on split thresholds and on "
                "the next double up (v <= threshold goes left).",
                params, ["decision_type 8 and 10", "missing tokens (any case)",
                         "values equal to thresholds", "NaN on a feature without NaN in training "
                         "(missing type None there: NaN -> 0.0)"],
                ck, n, check_model=check_model,
                catches=["strict_less", "ignore_default_left"])


def case_numeric_missing_zero(out: Path):
    case = "numeric_missing_zero"
    ck = Checks(case)
    rng = np.random.default_rng(201)
    n = 900
    names = ["balance", "late_payments", "delta", "tenure"]
    bal = np.round(rng.lognormal(7, 1.0, n), 2)
    bal_zero = rng.random(n) < 0.35
    late = rng.poisson(1.2, n).astype(float) + 1
    late_zero = rng.random(n) < 0.5
    delta = rng.normal(0, 1, n)
    delta_zero = rng.random(n) < 0.3
    tenure = rng.uniform(0, 20, n)
    z_bal = (np.log(bal) - 7)
    # low balance is risky, yet zero balance is safe -> zeros go right (type 4)
    # many late payments are risky, zero late payments are safe -> zeros go left (type 6)
    logit = (-0.2 - 1.0 * z_bal - 2.0 * bal_zero + 0.8 * (late - 2) - 1.5 * late_zero
             + 1.2 * delta - 0.1 * (tenure - 10))
    y = (rng.random(n) < sigmoid(logit)).astype(float)
    bal[bal_zero] = 0.0
    late[late_zero] = 0.0
    delta[delta_zero] = 0.0
    X = np.column_stack([bal, late, delta, tenure])
    X[rng.random(n) < 0.05, 2] = np.nan  # NaN is also "missing" (as zero) under zero_as_missing
    params = {**BASE_PARAMS, "num_leaves": 8, "learning_rate": 0.1, "min_data_in_leaf": 10,
              "zero_as_missing": True}
    booster = train(params, X, y, 40, feature_name=names)
    model = parse_model(booster.model_to_string())

    def check_model(text, m, checks):
        dt = decision_types(m)
        checks(4 in dt, "decision_type 4 present (missing Zero, default right)")
        checks(6 in dt, "decision_type 6 present (missing Zero, default left)")
        checks("[zero_as_missing: 1]" in text, "[zero_as_missing: 1] in parameters")

    rng2 = np.random.default_rng(202)
    m = 60
    S = np.column_stack([np.round(rng2.lognormal(7, 1.0, m), 2), rng2.poisson(1.2, m) + 1.0,
                         rng2.normal(0, 1, m), rng2.uniform(0, 20, m)])
    S[rng2.random(m) < 0.3, 0] = 0.0
    S[rng2.random(m) < 0.4, 1] = 0.0
    S[rng2.random(m) < 0.2, 2] = 0.0
    rows = numeric_rows_from_matrix(S)
    tiny = [0.0, -0.0, 1e-36, -1e-36, 1e-35, -1e-35,
            1.00000001e-35,            # > 1e-35 but <= float(1e-35): still zero for LightGBM
            -1.00000001e-35,
            K_ZERO_THRESHOLD,           # exactly (double)1e-35f: zero
            float(np.nextafter(K_ZERO_THRESHOLD, np.inf)),   # first double above: not zero
            -float(np.nextafter(K_ZERO_THRESHOLD, np.inf)),
            2e-35, 1e-30, -1e-30, 5e-324, math.nan]
    for base_i in (0, 1):
        base = rows[base_i]
        for f in range(4):
            for v in tiny:
                row = list(base)
                row[f] = "" if math.isnan(v) else r(v)
                rows.append(row)
    rows += probe_rows(rows[2], model, [0, 1, 2, 3], [], 2)
    finish_case(out, case, booster, rows,
                "zero_as_missing=True: missing type Zero, default_left true and false. Scored rows "
                "put 0, -0.0, +-1e-36, +-1e-35, 1.00000001e-35, (double)1e-35f = "
                "1.0000000180025095e-35 and the next double above it, 5e-324 and NaN into every "
                "feature. LightGBM's zero test is |v| <= kZeroThreshold where kZeroThreshold is "
                "the FLOAT 1e-35f (1.0000000180025095e-35 as a double); its predictor also turns "
                "every |v| <= kZeroThreshold into 0.0 before evaluating. NaN is turned into 0.0 "
                "(so it is missing too).",
                params, ["decision_type 4 and 6", "zero threshold 1e-35f", "NaN -> 0.0 -> missing"],
                ck, n, check_model=check_model,
                catches=["zero_threshold_double", "ignore_default_left", "strict_less"],
                extra={"k_zero_threshold_as_double": r(K_ZERO_THRESHOLD)})


def case_numeric_missing_none(out: Path):
    case = "numeric_missing_none"
    ck = Checks(case)
    rng = np.random.default_rng(301)
    n = 800
    names = ["x_centered", "y_centered", "z_skewed", "w_uniform"]
    X = np.column_stack([rng.normal(0, 1, n), rng.normal(0.2, 0.5, n),
                         rng.exponential(1.0, n) - 0.7, rng.uniform(-1, 1, n)])
    logit = 1.5 * X[:, 0] - 2.0 * X[:, 1] + 0.8 * X[:, 2] + 1.0 * np.sign(X[:, 3])
    y = (rng.random(n) < sigmoid(logit)).astype(float)
    X[rng.random(n) < 0.1, 0] = np.nan
    X[rng.random(n) < 0.1, 3] = np.nan
    params = {**BASE_PARAMS, "num_leaves": 8, "learning_rate": 0.1, "min_data_in_leaf": 10,
              "use_missing": False}
    booster = train(params, X, y, 40, feature_name=names)
    model = parse_model(booster.model_to_string())

    def check_model(text, m, checks):
        dt = decision_types(m)
        checks(bool(dt) and dt <= {0, 2}, f"only decision types 0/2 (missing None): {sorted(dt)}")
        checks("[use_missing: 0]" in text, "[use_missing: 0] in parameters")
        near0 = [t for tr in m["trees"] for t in tr["thresholds"] if abs(t) < 0.3]
        checks(len(near0) > 0, "some thresholds near 0, so NaN -> 0.0 matters")

    rng2 = np.random.default_rng(302)
    m = 60
    S = np.column_stack([rng2.normal(0, 1, m), rng2.normal(0.2, 0.5, m),
                         rng2.exponential(1.0, m) - 0.7, rng2.uniform(-1, 1, m)])
    for f in range(4):
        S[rng2.random(m) < 0.15, f] = np.nan
    rows = numeric_rows_from_matrix(S, missing_token_cycle())
    rows += probe_rows(rows[0], model, [0, 1, 2, 3], [math.nan, 0.0, -0.0, 1e-36], 3)
    finish_case(out, case, booster, rows,
                "use_missing=False: every split has missing type None (decision_type 0 or 2); a "
                "NaN value is evaluated as 0.0. Scored rows contain NaN (empty and token forms) "
                "on features whose thresholds straddle 0.",
                params, ["decision_type 0/2", "NaN -> 0.0"], ck, n, check_model=check_model,
                catches=["none_nan_default", "strict_less"])


CITY_N = 72      # levels in the pandas dtype
CITY_USED = 70   # levels that occur in training (the last 2 of the dtype list never occur)


def case_categorical_pandas_many_levels(out: Path):
    case = "categorical_pandas_many_levels"
    ck = Checks(case)
    rng = np.random.default_rng(401)
    n = 3000
    # category list in a NON-sorted order: codes are list positions, not sorted positions
    city_levels = [f"city_{i:02d}" for i in range(CITY_N)]
    perm = rng.permutation(CITY_N)
    city_levels = [city_levels[i] for i in perm]
    grade_levels = ["E", "B", "A", "D", "C"]
    city_effect = rng.normal(0, 1.5, CITY_N)
    # make some high codes (>= 32 and >= 64) matter a lot
    city_effect[[33, 40, 47, 55, 61, 66, 69]] = [2.5, -2.5, 2.2, 2.8, -2.0, 2.6, 2.4]
    grade_effect = {"A": -1.5, "B": -0.7, "C": 0.0, "D": 0.8, "E": 1.6}
    city_code = rng.integers(0, CITY_USED, n)
    grade = rng.choice(["A", "B", "C", "D", "E"], n, p=[0.2, 0.3, 0.25, 0.15, 0.1])
    income = np.round(rng.lognormal(10.5, 0.5, n), 2)
    ratio = rng.beta(2, 4, n)
    logit = (city_effect[city_code] + np.array([grade_effect[g] for g in grade])
             - 0.8 * (np.log(income) - 10.5) / 0.5 + 2.0 * (ratio - 0.33))
    y = (rng.random(n) < sigmoid(logit)).astype(float)
    city = pd.Categorical([city_levels[c] for c in city_code], categories=city_levels)
    city[rng.random(n) < 0.04] = np.nan
    g = pd.Categorical(grade, categories=grade_levels)
    g[rng.random(n) < 0.03] = np.nan
    income[rng.random(n) < 0.05] = np.nan
    df = pd.DataFrame({"income": income, "city": city, "ratio": ratio, "grade": g})
    params = {**BASE_PARAMS, "num_leaves": 15, "learning_rate": 0.1, "min_data_in_leaf": 10,
              "cat_smooth": 1.0, "cat_l2": 1.0, "min_data_per_group": 5, "max_cat_threshold": 64}
    booster = train(params, df, y, 40)

    def check_model(text, m, checks):
        pc = m["pandas_categorical"]
        checks(pc[0] == city_levels and pc[1] == grade_levels,
               "pandas_categorical lists == the dtype category lists (unsorted order kept)")
        multi = [t for t in m["trees"] if t["num_cat"] > 0 and any(
            b - a >= 2 for a, b in zip(t["cat_boundaries_list"], t["cat_boundaries_list"][1:]))]
        checks(len(multi) > 0, "a categorical split uses >= 2 cat_threshold words (code >= 32)")
        three = [t for t in m["trees"] if t["num_cat"] > 0 and any(
            b - a >= 3 for a, b in zip(t["cat_boundaries_list"], t["cat_boundaries_list"][1:]))]
        checks(len(three) > 0, "a categorical split uses 3 cat_threshold words (code >= 64)")
        dt = decision_types(m)
        checks(bool(dt & {1, 9}), f"categorical decision types present: {sorted(dt & {1, 9})}")
        checks(any(t["num_cat"] >= 2 for t in m["trees"]), "a tree with num_cat >= 2")

    rng2 = np.random.default_rng(402)
    rows = []
    for _ in range(90):
        inc = float(np.round(rng2.lognormal(10.5, 0.5), 2))
        rows.append([r(inc) if rng2.random() > 0.08 else "",
                     city_levels[int(rng2.integers(0, CITY_USED))] if rng2.random() > 0.05 else "",
                     r(rng2.beta(2, 4)),
                     str(rng2.choice(["A", "B", "C", "D", "E"])) if rng2.random() > 0.05 else ""])
    base = rows[0]
    specials_city = (city_levels[CITY_USED:]                 # in the dtype, never in training
                     + [city_levels[i] for i in (0, 31, 32, 33, 40, 47, 55, 61, 63, 64, 66, 69)]
                     + ["city_99", "Atlantis", "CITY_00", "city_0", "", "NA", "null", "None"])
    for lab in specials_city:
        row = list(base)
        row[1] = lab
        rows.append(row)
    for lab in ["A", "B", "C", "D", "E", "F", "a", "", "N/A", "NaN"]:
        row = list(base)
        row[3] = lab
        rows.append(row)
    rows.append(["", "", "", ""])
    finish_case(out, case, booster, rows,
                "pandas DataFrame with category dtype: 'city' has 72 string levels in its dtype (70 "
                "occur in training, the last two of the list never do) in a non-sorted order, "
                "'grade' has 5 levels. Model file ends with "
                "pandas_categorical. Scored rows use string labels, labels in the dtype but never "
                "in training, unseen labels (city_99, Atlantis, wrong case CITY_00, 'a'), missing as "
                "empty field and as tokens. A label maps to its position in the pandas_categorical "
                "list; an unknown label is NaN (categorical NaN goes right).",
                params, ["pandas_categorical", "cat_threshold with 2 and 3 words",
                         "unseen labels -> NaN", "category order = list order, not sorted",
                         "categorical NaN -> right"],
                ck, n, pandas_cat_cols=["city", "grade"], check_model=check_model,
                catches=["cat_sorted_order", "cat_nan_as_zero", "ignore_default_left"])


def case_categorical_integer_codes(out: Path):
    case = "categorical_integer_codes"
    ck = Checks(case)
    rng = np.random.default_rng(501)
    n = 3000
    names = ["merchant_code", "amount", "channel", "tenure_months"]
    # merchant codes 0..99, but 50..59 never occur in training
    codes = np.array([c for c in range(100) if not 50 <= c <= 59])
    merchant = rng.choice(codes, n).astype(float)
    eff = rng.normal(0, 1.5, 100)
    eff[[35, 70, 77, 90, 99]] = [2.5, -2.5, 2.8, 2.2, -2.4]
    channel = rng.integers(0, 6, n).astype(float)
    ch_eff = np.array([-1.0, 0.5, 1.2, -0.3, 0.0, 0.9])
    amount = np.round(rng.lognormal(4, 1, n), 2)
    tenure = rng.integers(0, 120, n).astype(float)
    logit = (eff[merchant.astype(int)] + ch_eff[channel.astype(int)]
             + 0.5 * (np.log(amount) - 4) - 0.01 * (tenure - 60))
    y = (rng.random(n) < sigmoid(logit)).astype(float)
    # channel has no NaN in training and all its codes are kept as bins (decision_type 1:
    # categorical, missing type None). merchant_code has NaN (decision_type 9: missing type NaN;
    # LightGBM also uses type NaN when it drops its rarest categories from the bins).
    # At prediction NaN goes right in both cases.
    merchant[rng.random(n) < 0.03] = np.nan
    X = np.column_stack([merchant, amount, channel, tenure])
    params = {**BASE_PARAMS, "num_leaves": 15, "learning_rate": 0.1, "min_data_in_leaf": 10,
              "cat_smooth": 1.0, "cat_l2": 1.0, "min_data_per_group": 5, "max_cat_threshold": 64}
    booster = train(params, X, y, 40, categorical_feature=[0, 2], feature_name=names)

    def check_model(text, m, checks):
        checks("[categorical_feature: 0,2]" in text, "[categorical_feature: 0,2] in parameters")
        dt = decision_types(m)
        checks(1 in dt and 9 in dt, "decision_type 1 and 9 present")
        multi = [t for t in m["trees"] if t["num_cat"] > 0 and any(
            b - a >= 3 for a, b in zip(t["cat_boundaries_list"], t["cat_boundaries_list"][1:]))]
        checks(len(multi) > 0, "a categorical split uses >= 3 cat_threshold words (code >= 64)")
        infos = m["header"]["feature_infos"].split(" ")
        checks(":" in infos[0] and not infos[0].startswith("["),
               "feature_infos lists the merchant codes seen")

    rng2 = np.random.default_rng(502)
    rows = []
    for _ in range(80):
        rows.append([int_or_float_token(rng2.choice(codes)) if rng2.random() > 0.05 else "",
                     r(np.round(rng2.lognormal(4, 1), 2)),
                     int_or_float_token(rng2.integers(0, 6)) if rng2.random() > 0.05 else "",
                     int_or_float_token(rng2.integers(0, 120))])
    base = rows[0]
    specials = ["-1", "-3", "-0.5", "-0.99", "-1.5", "0", "0.0", "-0.0", "3.7", "35.9", "31",
                "32", "33", "35", "50", "55", "59", "63", "64", "65", "70", "77", "90", "95",
                "99", "99.9", "100", "101", "127", "128", "150", "1000", "1000000.0", "1e-36",
                "", "NaN", "NA", "none"]
    for tok in specials:
        row = list(base)
        row[0] = tok
        rows.append(row)
    for tok in ["-1", "-3", "0", "1.9", "2", "5", "6", "7", "31", "32", "100", "", "nan"]:
        row = list(base)
        row[2] = tok
        rows.append(row)
    finish_case(out, case, booster, rows,
                "numpy matrix trained with categorical_feature=[0, 2] (integer codes, "
                "pandas_categorical:null). merchant_code has codes 0..99 with 50..59 never seen; "
                "channel has 6 codes. Scored rows contain negative codes (-1, -3 -> right), "
                "-0.5 and -0.99 (truncate to 0, i.e. category 0, NOT negative), -1.5 (-> -1 -> "
                "right), non-integers 3.7/35.9/99.9 (truncated to 3/35/99), unseen codes and codes "
                "past the last bitset word (-> right), NaN (-> right).",
                params, ["integer categorical codes", "truncation toward zero",
                         "negative codes -> right", "codes past the bitset -> right",
                         "cat_threshold with 3+ words"],
                ck, n, check_model=check_model,
                catches=["cat_floor", "cat_nan_as_zero"])


def case_sigmoid_not_one(out: Path):
    case = "sigmoid_not_one"
    ck = Checks(case)
    rng = np.random.default_rng(601)
    n = 800
    X = numeric_frame(rng, n)
    z_inc = (np.log(X[:, 0]) - 10.5) / 0.6
    logit = -0.5 - 1.0 * z_inc + 3.0 * (X[:, 1] - 0.3) + 1.5 * (X[:, 3] - 0.6)
    y = (rng.random(n) < sigmoid(logit)).astype(float)
    X[rng.random(n) < 0.1, 3] = np.nan
    params = {**BASE_PARAMS, "num_leaves": 8, "learning_rate": 0.1, "min_data_in_leaf": 10,
              "sigmoid": 0.7}
    booster = train(params, X, y, 30, feature_name=NUMERIC_NAMES)

    def check_model(text, m, checks):
        checks("\nobjective=binary sigmoid:0.7\n" in text, "objective=binary sigmoid:0.7")

    rng2 = np.random.default_rng(602)
    S = numeric_frame(rng2, 70)
    S[rng2.random(70) < 0.15, 3] = np.nan
    rows = numeric_rows_from_matrix(S)
    finish_case(out, case, booster, rows,
                "binary objective with sigmoid=0.7: probability = 1/(1+exp(-0.7*raw)). The raw "
                "score is unaffected; tree 0 carries the init score computed for sigma 0.7.",
                params, ["objective=binary sigmoid:0.7"], ck, n, check_model=check_model,
                catches=["ignore_default_left"])


def case_random_forest(out: Path):
    case = "random_forest"
    ck = Checks(case)
    rng = np.random.default_rng(701)
    n = 600
    X = numeric_frame(rng, n)
    z_inc = (np.log(X[:, 0]) - 10.5) / 0.6
    # only income carries signal: trees whose feature_fraction sample lacks income find no
    # split with gain >= min_gain_to_split and stay one-leaf trees. Random forest keeps those
    # in the middle of the model (gbdt would stop training instead).
    logit = -0.5 - 8.0 * z_inc
    y = (rng.random(n) < sigmoid(logit)).astype(float)
    X[rng.random(n) < 0.1, 0] = np.nan
    X[rng.random(n) < 0.1, 3] = np.nan
    params = {**BASE_PARAMS, "boosting": "rf", "bagging_freq": 1, "bagging_fraction": 0.7,
              "feature_fraction": 0.8, "num_leaves": 8, "min_data_in_leaf": 10,
              "min_gain_to_split": 8.0}
    booster = train(params, X, y, 40, feature_name=NUMERIC_NAMES)

    def check_model(text, m, checks):
        checks("\naverage_output\n" in text, "bare 'average_output' line in the header")
        leaves = [t["num_leaves"] for t in m["trees"]]
        checks(len(m["trees"]) == 40, "40 trees")
        mid = [i for i, k in enumerate(leaves) if k == 1 and i > 0]
        checks(len(mid) > 0, f"one-leaf trees in the middle of the model: trees {mid}")
        checks(any(t["leaf_values"][0] != 0.0 for t in m["trees"] if t["num_leaves"] == 1),
               "a one-leaf rf tree with a non-zero leaf_value (it counts in the average)")

    rng2 = np.random.default_rng(702)
    S = numeric_frame(rng2, 70)
    S[rng2.random(70) < 0.15, 0] = np.nan
    S[rng2.random(70) < 0.15, 3] = np.nan
    rows = numeric_rows_from_matrix(S)
    model = parse_model(booster.model_to_string())
    rows += probe_rows(rows[0], model, [0, 1, 3], [math.nan], 2)
    finish_case(out, case, booster, rows,
                "boosting=rf with bagging: header has a bare 'average_output' line. The probability "
                "is sigmoid of the MEAN of all tree outputs (each tree already includes the init "
                "score). CAUTION: LightGBM's predict(raw_score=True) and pred_contrib for such "
                "models return the un-averaged SUM (only GBDT::Predict divides by the number of "
                "iterations), so expected.csv's raw_score and contrib.csv are sums: "
                "probability == 1/(1+exp(-sigma*raw_score/40)) bit-for-bit. "
                "Some trees could not split (only income carries signal, min_gain_to_split=8), so the model has one-leaf trees "
                "in the middle; their leaf_value counts in the average like any other tree.",
                params, ["average_output", "one-leaf trees mid-model"], ck, n,
                check_model=check_model,
                catches=["strict_less", "ignore_default_left"],
                extra={"average_output": True, "num_iterations": 40,
                       "raw_score_semantics": "sum of tree outputs (NOT divided by 40); "
                       "probability = 1/(1+exp(-raw_score/40)); contrib rows sum to raw_score"})


def case_stumps(out: Path):
    case = "stumps"
    ck = Checks(case)
    rng = np.random.default_rng(801)
    n = 600
    X = numeric_frame(rng, n)
    z_inc = (np.log(X[:, 0]) - 10.5) / 0.6
    logit = -1.0 - 1.0 * z_inc + 2.0 * (X[:, 1] - 0.3)
    y = (rng.random(n) < sigmoid(logit)).astype(float)
    X[:, 4] = 1.0    # a constant feature: never used, feature_infos 'none'
    X[rng.random(n) < 0.1, 0] = np.nan
    names = NUMERIC_NAMES[:4] + ["constant_one", "score"]
    # Step 1: a model that cannot split at all -> a single one-leaf tree holding the init score
    # (boost_from_average). LightGBM's gbdt keeps a one-leaf tree only as the first tree; later
    # one-leaf trees end training and are dropped (random_forest keeps them, see that case).
    p1 = {**BASE_PARAMS, "num_leaves": 8, "min_gain_to_split": 1e30, "learning_rate": 0.1}
    b1 = train(p1, X, y, 5, feature_name=names)
    assert b1.num_trees() == 1
    # Step 2: continue training from it (init_model) with ordinary parameters.
    p2 = {**BASE_PARAMS, "num_leaves": 8, "learning_rate": 0.1, "min_data_in_leaf": 10}
    booster = train(p2, X, y, 25, feature_name=names, init_model=b1)
    init_score = math.log(y.mean() / (1 - y.mean()))

    def check_model(text, m, checks):
        t0 = m["trees"][0]
        checks(t0["num_leaves"] == 1 and "\nnum_leaves=1\n" in text, "num_leaves=1 (tree 0)")
        checks(abs(t0["leaf_values"][0] - init_score) < 1e-12,
               f"tree 0's single leaf holds the init score log(p/(1-p)) = {init_score!r}")
        checks(re.search(r"Tree=0\nnum_leaves=1\nnum_cat=0\nsplit_feature=\n", text) is not None,
               "one-leaf tree has EMPTY split_feature=/threshold=/... lines")
        checks(all(t["num_leaves"] > 1 for t in m["trees"][1:]), "the other trees split")
        infos = m["header"]["feature_infos"].split(" ")
        checks(infos[4] == "none", "constant feature has feature_infos 'none'")
        checks(len(m["trees"]) == 26, "26 trees (1 stump + 25)")

    rng2 = np.random.default_rng(802)
    S = numeric_frame(rng2, 60)
    S[:, 4] = 1.0
    S[rng2.random(60) < 0.1, 4] = 7.5
    S[rng2.random(60) < 0.15, 0] = np.nan
    rows = numeric_rows_from_matrix(S)
    finish_case(out, case, booster, rows,
                "gbdt model whose first tree has a single leaf (num_leaves=1, empty split lines, "
                "leaf_value = init score) followed by 25 ordinary trees (trained with init_model). "
                "Also a constant feature that no tree uses (feature_infos 'none').",
                {"step1": p1, "step2_init_model": p2}, ["num_leaves=1", "init score in tree 0",
                                                        "unused feature 'none'"],
                ck, n, check_model=check_model,
                catches=["ignore_default_left"],
                extra={"init_score": r(init_score)})


def mixed_frame(rng, n, cat_defs, num_specs):
    cols = {}
    for name, kind in num_specs:
        if kind == "normal":
            v = rng.normal(0, 1, n)
        elif kind == "lognormal":
            v = np.round(rng.lognormal(8, 1.2, n), 2)
        elif kind == "int":
            v = rng.integers(0, 40, n).astype(float)
        elif kind == "zero_heavy":
            v = np.where(rng.random(n) < 0.4, 0.0, rng.exponential(3, n))
        elif kind == "uniform":
            v = rng.uniform(-5, 5, n)
        elif kind == "binary":
            v = (rng.random(n) < 0.3).astype(float)
        else:
            raise ValueError(kind)
        cols[name] = v
    for name, levels in cat_defs:
        cols[name] = rng.integers(0, len(levels), n)
    return cols


def case_mixed_realistic(out: Path):
    case = "mixed_realistic"
    ck = Checks(case)
    rng = np.random.default_rng(901)
    n = 4000
    kinds = ["normal", "lognormal", "int", "zero_heavy", "uniform", "binary"]
    num_specs = [(f"n{i:02d}_{kinds[i % 6]}", kinds[i % 6]) for i in range(32)]
    cat_defs = [
        ("region", [f"R{i}" for i in range(8)]),
        ("employer_type", ["private", "public", "self", "none_reported", "military"]),
        ("product", [f"prod-{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"] + ["prod-AA", "prod-AB"]),
        ("zip3", [f"z{i:03d}" for i in range(45)]),
        ("channel", ["web", "branch", "phone"]),
    ]
    cols = mixed_frame(rng, n, cat_defs, num_specs)
    w = rng.normal(0, 1, 32) * (rng.random(32) < 0.6)
    logit = np.zeros(n)
    for i, (name, kind) in enumerate(num_specs):
        v = cols[name]
        z = (v - v.mean()) / (v.std() + 1e-12)
        logit += 0.5 * w[i] * z
    logit += 0.8 * np.sin(cols[num_specs[0][0]] * 2) + 0.6 * (cols[num_specs[3][0]] == 0)
    for name, levels in cat_defs:
        eff = rng.normal(0, 1.0, len(levels))
        logit += eff[cols[name]]
    y = (rng.random(n) < sigmoid(logit - logit.mean())).astype(float)
    df = pd.DataFrame({name: cols[name] for name, _ in num_specs})
    # NaN: with different target rates -> both default directions
    for i, (name, _) in enumerate(num_specs):
        if i % 3 == 0:
            miss = rng.random(n) < 0.12
            df.loc[miss, name] = np.nan
    for name, levels in cat_defs:
        codes = cols[name].copy()
        cat = pd.Categorical.from_codes(codes, categories=levels)
        miss = rng.random(n) < 0.03
        if name not in ("employer_type", "channel"):   # these two: no NaN -> decision_type 1
            cat[miss] = np.nan
        df[name] = cat
    # interleave: put two categorical columns between numeric ones
    order = (list(df.columns[:10]) + ["region"] + list(df.columns[10:20]) + ["zip3"]
             + list(df.columns[20:32]) + ["employer_type", "product", "channel"])
    df = df[order]
    pandas_cat_cols = [c for c in order if isinstance(df[c].dtype, pd.CategoricalDtype)]
    params = {**BASE_PARAMS, "num_leaves": 31, "learning_rate": 0.05, "min_data_in_leaf": 10,
              "feature_fraction": 0.9, "bagging_fraction": 0.8, "bagging_freq": 1,
              "lambda_l2": 1.0, "cat_smooth": 5.0, "min_data_per_group": 10,
              "max_cat_threshold": 32}
    booster = train(params, df, y, 100)

    def check_model(text, m, checks):
        checks(len(m["trees"]) == 100, "100 trees")
        full = sum(t["num_leaves"] == 31 for t in m["trees"])
        checks(full >= 90, f"{full}/100 trees have 31 leaves")
        dt = decision_types(m)
        for d in (2, 8, 10):
            checks(d in dt, f"decision_type {d} present")
        checks(1 in dt and 9 in dt, "categorical decision types 1 and 9 present")
        checks(any(t["num_cat"] > 0 and any(
            b - a >= 2 for a, b in zip(t["cat_boundaries_list"], t["cat_boundaries_list"][1:]))
            for t in m["trees"]), "a categorical split with >= 2 words")

    rng2 = np.random.default_rng(902)
    m = 200
    scols = mixed_frame(rng2, m, cat_defs, num_specs)
    tokens = missing_token_cycle()
    rows = []
    cat_levels = dict(cat_defs)
    for i in range(m):
        row = []
        for name in order:
            if name in cat_levels:
                levels = cat_levels[name]
                u = rng2.random()
                if u < 0.03:
                    row.append(next(tokens))
                elif u < 0.05:
                    row.append(f"{name}_unseen_{i}")
                else:
                    row.append(levels[int(scols[name][i])])
            else:
                v = float(scols[name][i])
                if rng2.random() < 0.08:
                    row.append(next(tokens))
                elif name.endswith(("_int", "_binary")):
                    row.append(str(int(v)))     # integer-valued columns written as integers
                else:
                    row.append(r(v))
        rows.append(row)
    finish_case(out, case, booster, rows,
                "Realistic mix: 32 numeric features (normal, lognormal, integer, zero-heavy, "
                "uniform, binary) with NaN on every third, 5 pandas categorical features (3 to 45 "
                "levels) interleaved with the numeric columns; 100 trees x 31 leaves, bagging and "
                "feature_fraction. Scored rows use missing tokens, unseen labels, integer-valued "
                "columns written as plain integers. Also the TreeSHAP (pred_contrib) golden.",
                params, ["everything", "TreeSHAP parity"], ck, n,
                pandas_cat_cols=pandas_cat_cols, check_model=check_model,
                catches=["ignore_default_left", "none_nan_default", "cat_nan_as_zero", "cat_sorted_order"])


def case_linear_tree(out: Path):
    case = "linear_tree"
    ck = Checks(case)
    rng = np.random.default_rng(1001)
    n = 800
    names = ["x1", "x2", "x3", "x4"]
    X = np.column_stack([rng.normal(0, 1, n), rng.uniform(-2, 2, n), rng.normal(1, 0.5, n),
                         rng.exponential(1, n)])
    logit = 1.2 * X[:, 0] - 0.8 * X[:, 1] + np.where(X[:, 2] > 1, 1.0, -1.0) * X[:, 3]
    y = (rng.random(n) < sigmoid(logit)).astype(float)
    X[rng.random(n) < 0.08, 0] = np.nan
    X[rng.random(n) < 0.08, 1] = np.nan
    params = {**BASE_PARAMS, "num_leaves": 6, "learning_rate": 0.1, "min_data_in_leaf": 20,
              "linear_tree": True, "linear_lambda": 0.1}
    booster = train(params, X, y, 20, feature_name=names)

    def check_model(text, m, checks):
        checks("\nis_linear=1\n" in text, "is_linear=1")
        checks("\nleaf_coeff=" in text and "\nleaf_const=" in text and "\nleaf_features=" in text,
               "leaf_const / leaf_features / leaf_coeff lines")
        checks("[linear_tree: 1]" in text, "[linear_tree: 1] in parameters")
        try:
            lgb.Booster(model_str=text).predict(np.zeros((1, 4)), pred_contrib=True)
            ok = False
        except lgb.basic.LightGBMError:
            ok = True
        checks(ok, "LightGBM refuses pred_contrib for linear trees (no contrib.csv)")

    rng2 = np.random.default_rng(1002)
    m = 60
    S = np.column_stack([rng2.normal(0, 1, m), rng2.uniform(-2, 2, m), rng2.normal(1, 0.5, m),
                         rng2.exponential(1, m)])
    for f in range(4):
        S[rng2.random(m) < 0.12, f] = np.nan
    rows = numeric_rows_from_matrix(S, missing_token_cycle())
    model = parse_model(booster.model_to_string())
    rows += probe_rows(rows[1], model, [0, 1, 2, 3], [math.nan, 0.0, 1e-36, 1e6, -1e6], 2)
    finish_case(out, case, booster, rows,
                "linear_tree=True: is_linear=1 trees; a leaf's output is leaf_const + sum "
                "coeff*x over leaf_features, or leaf_value when one of those features is NaN. "
                "Scored rows have NaN in linear features. LightGBM cannot compute pred_contrib "
                "for linear trees, so there is no contrib.csv.",
                params, ["is_linear=1", "NaN in linear features -> leaf_value"], ck, n,
                contrib=False, check_model=check_model,
                catches=["ignore_linear", "strict_less", "ignore_default_left"])


def case_unsupported(out: Path):
    rng = np.random.default_rng(1101)
    n = 300
    X = rng.normal(size=(n, 3))
    names = ["a", "b", "c"]
    for case, params, y, needle in [
        ("unsupported_multiclass",
         {**BASE_PARAMS, "objective": "multiclass", "num_class": 3, "num_leaves": 4},
         (X[:, 0] > 0).astype(float) + (X[:, 1] > 0.5), "objective=multiclass num_class:3"),
        ("unsupported_regression",
         {**BASE_PARAMS, "objective": "regression", "num_leaves": 4},
         X[:, 0] * 2 + rng.normal(size=n), "objective=regression"),
    ]:
        ck = Checks(case)
        d = out / case
        d.mkdir(parents=True, exist_ok=True)
        for stale in ("input.csv", "expected.csv", "contrib.csv"):
            if (d / stale).exists():
                (d / stale).unlink()
        b = train(params, X, y, 5, feature_name=names)
        b.save_model(str(d / "model.txt"))
        text = (d / "model.txt").read_text()
        ck(f"\n{needle}" in text, needle)
        if case == "unsupported_multiclass":
            ck("\nnum_class=3\n" in text and "\nnum_tree_per_iteration=3\n" in text,
               "num_class=3, num_tree_per_iteration=3")
        meta = {"case": case,
                "description": "Not a binary model: the Swift loader must refuse it with a clear "
                               "error (only model.txt and case.json).",
                "objective": re.search(r"^objective=(.*)$", text, re.M).group(1),
                "lightgbm_version": lgb.__version__, "params": params,
                "expect": "load error", "checks_passed": ck.passed}
        (d / "case.json").write_text(json.dumps(meta, indent=2) + "\n")
        print(f"  {case}: {len(ck.passed)} checks ok")


CASES = [
    case_numeric_missing_nan,
    case_numeric_missing_zero,
    case_numeric_missing_none,
    case_categorical_pandas_many_levels,
    case_categorical_integer_codes,
    case_sigmoid_not_one,
    case_random_forest,
    case_stumps,
    case_mixed_realistic,
    case_linear_tree,
    case_unsupported,
]

EXPECTED_FOLDERS = {
    "numeric_missing_nan", "numeric_missing_zero", "numeric_missing_none",
    "categorical_pandas_many_levels", "categorical_integer_codes", "sigmoid_not_one",
    "random_forest", "stumps", "mixed_realistic", "linear_tree",
    "unsupported_multiclass", "unsupported_regression",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    # remove case folders that are no longer generated (README.md is kept)
    for p in out.iterdir():
        if p.is_dir() and p.name not in EXPECTED_FOLDERS:
            shutil.rmtree(p)
    print(f"LightGBM {lgb.__version__}, numpy {np.__version__}, pandas {pd.__version__}")
    print(f"writing {out}")
    for fn in CASES:
        fn(out)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"total fixture size: {total} bytes")
    assert total < 3_000_000, "fixtures too large"


if __name__ == "__main__":
    sys.exit(main())
