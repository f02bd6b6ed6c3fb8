#!/usr/bin/env python3
"""Generate the benchmark workload: applicants.csv, model.txt and expected.csv.

    python training/bench_workload.py --out bench/work [--rows 50000] [--trees 1000]
                                      [--leaves 63] [--seed 7] [--threads 2]

* applicants.csv: `applicant_id` (string, not a feature) then 100 numeric columns
  num_000..num_099 (varied distributions and scales, some integer-valued and written as
  integers, 10 % missing as empty fields) and 20 categorical columns cat_00..cat_19 (string
  labels, 3..60 levels, skewed frequencies, 2-5 % missing as empty fields). Floats are
  written with repr() (shortest round trip).
* model.txt: LightGBM binary model trained on exactly those values from a pandas DataFrame
  (category dtype for cat_*, so the file ends with pandas_categorical), `--trees` trees with
  exactly `--leaves` leaves each (asserted).
* expected.csv: `row,probability` = booster.predict on the frame read back from
  applicants.csv (values asserted identical to the training frame, categories mapped to the model's
  pandas_categorical lists), written with repr(), for bit-parity checks of the Swift scorer.

The output folder (bench/work/) is git-ignored.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("bench/work"))
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--trees", type=int, default=1000)
    ap.add_argument("--leaves", type=int, default=63)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    return ap.parse_args()


ARGS = parse_args()
os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)
os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.threads)

import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

N_NUM = 100
N_CAT = 20
NUM_MISSING = 0.10

WORDS = ["alpha", "bravo", "delta", "echo", "gold", "hotel", "india", "kilo", "lima", "metro",
         "north", "oscar", "papa", "quartz", "romeo", "sierra", "tango", "union", "vista",
         "whisky"]


def numeric_column(rng: np.random.Generator, j: int, n: int) -> tuple[np.ndarray, bool]:
    """Column j: (values, integer_valued)."""
    kind = j % 10
    if kind == 0:
        return rng.normal(0, 1, n), False
    if kind == 1:
        return np.round(rng.lognormal(10 + (j % 3), 0.8, n), 2), False          # money
    if kind == 2:
        return rng.integers(0, 10 ** (1 + j % 4), n).astype(float), True        # counts
    if kind == 3:
        return rng.beta(2, 5, n), False                                          # ratios
    if kind == 4:
        return np.where(rng.random(n) < 0.45, 0.0, rng.exponential(50, n)), False  # zero heavy
    if kind == 5:
        return rng.standard_t(3, n) * 10 ** (j % 5 - 2), False                   # heavy tails
    if kind == 6:
        return rng.poisson(2 + j % 7, n).astype(float), True                     # small ints
    if kind == 7:
        return rng.uniform(-1e3, 1e3, n), False
    if kind == 8:
        mix = rng.random(n) < 0.3
        return np.where(mix, rng.normal(700, 30, n), rng.normal(600, 60, n)), False  # bimodal
    return rng.integers(18, 90, n).astype(float), True                           # ages


def build_frame(rng: np.random.Generator, n: int):
    cols = {}
    int_cols = set()
    for j in range(N_NUM):
        v, is_int = numeric_column(rng, j, n)
        cols[f"num_{j:03d}"] = v
        if is_int:
            int_cols.add(f"num_{j:03d}")
    cat_levels = {}
    cat_codes = {}
    level_counts = np.linspace(3, 60, N_CAT).round().astype(int)
    for k in range(N_CAT):
        L = int(level_counts[k])
        word = WORDS[k % len(WORDS)]
        levels = [f"{word}_{i:02d}" for i in range(L)]
        p = 1.0 / np.arange(1, L + 1) ** 0.8        # zipf-ish: a few rare levels
        p /= p.sum()
        cat_levels[f"cat_{k:02d}"] = levels
        cat_codes[f"cat_{k:02d}"] = rng.choice(L, n, p=p)
    return cols, int_cols, cat_levels, cat_codes


def make_target(rng: np.random.Generator, cols, cat_levels, cat_codes, n: int) -> np.ndarray:
    def z(name):
        v = cols[name]
        return (v - v.mean()) / (v.std() + 1e-12)

    logit = np.zeros(n)
    w = rng.normal(0, 0.4, N_NUM) * (rng.random(N_NUM) < 0.5)
    for j in range(N_NUM):
        if w[j] != 0.0:
            logit += w[j] * np.clip(z(f"num_{j:03d}"), -3, 3)
    # non-linear bits and interactions
    logit += 0.8 * np.sin(2 * z("num_000")) + 0.6 * (cols["num_004"] == 0.0)
    logit += 0.5 * np.clip(z("num_013"), -3, 3) * np.clip(z("num_021"), -3, 3)
    logit += 0.7 * (cols["num_019"] > 60)
    for name, levels in cat_levels.items():
        eff = rng.normal(0, 0.5, len(levels))
        logit += eff[cat_codes[name]]
    logit = logit - logit.mean() - 1.0            # roughly 30-40 % positives
    return (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(float)


def format_column(values: np.ndarray, is_int: bool) -> list[str]:
    out = []
    for x in values.tolist():
        if x != x:                      # NaN
            out.append("")
        elif is_int:
            out.append(str(int(x)))
        else:
            out.append(repr(x))
    return out


def main():
    args = ARGS
    t_all = time.perf_counter()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    n = args.rows

    t0 = time.perf_counter()
    cols, int_cols, cat_levels, cat_codes = build_frame(rng, n)
    y = make_target(rng, cols, cat_levels, cat_codes, n)
    # missing values (after the target was drawn from the complete values)
    for name in cols:
        cols[name][rng.random(n) < NUM_MISSING] = np.nan
    df = pd.DataFrame(cols)
    for name, levels in cat_levels.items():
        codes = cat_codes[name].copy()
        codes[rng.random(n) < rng.uniform(0.02, 0.05)] = -1      # -1 = missing
        df[name] = pd.Categorical.from_codes(codes, categories=levels)
    ids = [f"APP-{args.seed:02d}-{i:07d}" for i in range(n)]
    print(f"data: {n} rows x {df.shape[1]} features, {y.mean():.1%} positive "
          f"({time.perf_counter() - t0:.1f}s)")

    # applicants.csv
    t0 = time.perf_counter()
    text_cols = [ids]
    for name in df.columns:
        if name in cat_levels:
            levels = cat_levels[name]
            text_cols.append(["" if c < 0 else levels[c] for c in df[name].cat.codes.tolist()])
        else:
            text_cols.append(format_column(df[name].to_numpy(), name in int_cols))
    header = ["applicant_id"] + list(df.columns)
    csv_path = out / "applicants.csv"
    with open(csv_path, "w", newline="") as fh:
        fh.write(",".join(header) + "\n")
        fh.writelines(",".join(row) + "\n" for row in zip(*text_cols))
    print(f"wrote {csv_path} ({csv_path.stat().st_size / 1e6:.1f} MB, "
          f"{time.perf_counter() - t0:.1f}s)")

    # train
    params = {
        "objective": "binary",
        "num_leaves": args.leaves,
        "learning_rate": 0.05,
        "min_data_in_leaf": 5,
        "min_sum_hessian_in_leaf": 1e-3,
        "min_gain_to_split": 0.0,
        "max_depth": -1,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        # regularised categorical splits: with LightGBM's defaults two thirds of all splits
        # end up categorical (many-vs-many splits fit the noise of later iterations best);
        # with these about a fifth are, closer to a typical credit model
        "cat_smooth": 50.0,
        "cat_l2": 50.0,
        "max_cat_threshold": 32,
        "num_threads": args.threads,
        "seed": args.seed,
        "deterministic": True,
        "force_row_wise": True,
        "verbosity": -1,
    }
    t0 = time.perf_counter()
    ds = lgb.Dataset(df, label=y)
    booster = lgb.train(params, ds, num_boost_round=args.trees)
    train_s = time.perf_counter() - t0
    print(f"training: {booster.num_trees()} trees in {train_s:.1f}s "
          f"({args.threads} threads)")
    model_path = out / "model.txt"
    booster.save_model(str(model_path))

    text = model_path.read_text()
    leaves = [int(line.split("=", 1)[1]) for line in text.splitlines()
              if line.startswith("num_leaves=")]
    assert len(leaves) == args.trees, f"{len(leaves)} trees, wanted {args.trees}"
    not_full = sum(k != args.leaves for k in leaves)
    assert not_full == 0, f"{not_full} trees have fewer than {args.leaves} leaves"
    assert "\npandas_categorical:[[" in text
    dts = [int(d) for line in text.splitlines() if line.startswith("decision_type=")
           for d in line.split("=", 1)[1].split()]
    n_cat = sum(d & 1 for d in dts)
    print(f"wrote {model_path} ({model_path.stat().st_size / 1e6:.1f} MB): "
          f"{len(leaves)} trees x {args.leaves} leaves, all full; "
          f"{n_cat / len(dts):.0%} of the splits categorical")

    # expected.csv: predict on the frame read back from applicants.csv
    t0 = time.perf_counter()
    loaded = lgb.Booster(model_file=str(model_path))
    feature_names = loaded.feature_name()
    cat_names = [c for c in feature_names if c in cat_levels]
    # pandas 3's default float parser is exact for repr() output (asserted below; the
    # float_precision argument is deprecated)
    back = pd.read_csv(csv_path, keep_default_na=False,
                       na_values=[""], dtype={c: str for c in cat_names + ["applicant_id"]})
    assert list(back.columns) == ["applicant_id"] + feature_names
    for name, levels in zip(cat_names, loaded.pandas_categorical):
        back[name] = pd.Categorical(back[name], categories=levels)
    X = back[feature_names]
    for name in feature_names:                     # the CSV round-trips exactly
        if name in cat_levels:
            assert (X[name].cat.codes.to_numpy() == df[name].cat.codes.to_numpy()).all(), name
        else:
            a, b = X[name].to_numpy(dtype=np.float64), df[name].to_numpy()
            assert np.array_equal(a, b, equal_nan=True), name
    prob = loaded.predict(X, num_threads=args.threads)
    assert np.array_equal(prob, booster.predict(df, num_threads=args.threads))
    exp_path = out / "expected.csv"
    with open(exp_path, "w") as fh:
        fh.write("row,probability\n")
        fh.writelines(f"{i},{p!r}\n" for i, p in enumerate(prob.tolist()))
    print(f"wrote {exp_path} ({time.perf_counter() - t0:.1f}s); mean probability "
          f"{prob.mean():.4f}")
    print(f"total: {time.perf_counter() - t_all:.1f}s")


if __name__ == "__main__":
    sys.exit(main())
