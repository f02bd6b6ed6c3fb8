#!/usr/bin/env python3
"""The scikit-learn side of the RandomForest benchmark (bench/README.md, "scikit-learn RandomForest").

    python bench/sklearn_reference.py fit     [--work bench/work]   # once: model + expected
    python bench/sklearn_reference.py predict [--work bench/work]   # timed by farm-bench

`fit` trains a 500-tree RandomForestClassifier (n_jobs=2, max_leaf_nodes=128) behind a
ColumnTransformer (OrdinalEncoder for the 20 categorical columns, the 100 numeric ones passed
through with their NaNs) on the first 20,000 rows of the wide workload (applicants.csv from
training/bench_workload.py), with a label drawn from a fixed logistic function of a few
columns (seeded). It writes sklearn_rf.skops (the fitted pipeline, skops format),
sklearn_rf.json (training/export_sklearn.py's document, what LoanRisk reads) and
sklearn_expected.csv (`predict_proba(X)[:, 1]` of all 50,000 rows, repr).

`predict` loads the skops file, reads applicants.csv and calls `predict_proba` (n_jobs=2) five
times, printing the fastest call and the process's phases.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def read(work: Path) -> pd.DataFrame:
    df = pd.read_csv(work / "applicants.csv", dtype={f"cat_{j:02d}": object for j in range(20)})
    return df.drop(columns=["applicant_id"])


def fit(work: Path) -> None:
    import skops.io as sio
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OrdinalEncoder

    from export_sklearn import export

    df = read(work)
    cats = [c for c in df.columns if c.startswith("cat_")]
    rng = np.random.default_rng(11)
    z = (np.nan_to_num(df["num_000"].to_numpy()) * 0.02 - np.nan_to_num(df["num_001"].to_numpy()) * 0.01
         + (df["cat_00"] == df["cat_00"].mode()[0]).to_numpy() * 0.8 + rng.normal(0, 1, len(df)))
    z = (z - z.mean()) / z.std()
    y = (rng.random(len(df)) < 1 / (1 + np.exp(-(z - 1.5)))).astype(int)
    pre = ColumnTransformer([("categorical", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), cats)],
                            remainder="passthrough")
    model = Pipeline([("prepare", pre), ("forest", RandomForestClassifier(
        n_estimators=500, max_leaf_nodes=128, n_jobs=2, random_state=0))])
    start = time.perf_counter()
    model.fit(df.iloc[:20_000], y[:20_000])
    print(f"fit: {time.perf_counter() - start:.1f} s")
    sio.dump(model, work / "sklearn_rf.skops")
    export(model, work / "sklearn_rf.json")
    # The expected values with n_jobs=1: the trees are then added in order, as LoanRisk adds them
    # (with 2 jobs scikit-learn adds each tree's output as its thread finishes).
    model.set_params(forest__n_jobs=1)
    proba = model.predict_proba(df)[:, 1]
    with open(work / "sklearn_expected.csv", "w") as out:
        out.write("row,probability\n")
        for i, p in enumerate(proba):
            out.write(f"{i},{float(p)!r}\n")
    print(f"wrote {work / 'sklearn_rf.json'} ({(work / 'sklearn_rf.json').stat().st_size / 1e6:.1f} MB)")


def predict(work: Path, repeats: int) -> None:
    from export_sklearn import load_skops

    t0 = time.perf_counter()
    model = load_skops(work / "sklearn_rf.skops")
    model.set_params(forest__n_jobs=2)
    t1 = time.perf_counter()
    df = read(work)
    t2 = time.perf_counter()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        proba = model.predict_proba(df)[:, 1]
        times.append(time.perf_counter() - start)
    print(f"load_model_seconds: {t1 - t0:.3f}")
    print(f"read_csv_seconds: {t2 - t1:.3f}")
    print(f"predict_proba_seconds_min: {min(times):.3f}")
    print(f"predict_proba_seconds_median: {sorted(times)[len(times) // 2]:.3f}")
    print(f"rows: {len(proba)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["fit", "predict"])
    ap.add_argument("--work", type=Path, default=ROOT / "bench/work")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    if args.mode == "fit":
        fit(args.work)
    else:
        predict(args.work, args.repeats)


if __name__ == "__main__":
    main()
