#!/usr/bin/env python3
"""XGBoost side of the XGBoost benchmark (bench/xgboost.sh): the model, its own timings, Treelite's.

    python bench/xgboost_reference.py make  --input bench/work/applicants.csv --out bench/work [--trees 1000]
    python bench/xgboost_reference.py time  --input bench/work/applicants.csv --out bench/work [--threads 2] [--repeat 5]

make: trains a binary:logistic XGBoost model on the benchmark workload (training/bench_workload.py's
  50,000 x 120 applicants: 100 numeric columns with NaNs, 20 categorical as pandas categories, native
  categorical splits), --trees rounds of depth-6 trees, saved as xgb_model.json and xgb_model.ubj; the
  label is drawn from a fixed logistic rule of a few columns (the file has none). Writes
  xgb_expected.csv: row, margin and probability as float32 bit patterns (8 hex digits), from
  Booster.inplace_predict on the same rows, for the Swift side's bit-parity count.
time: Booster.inplace_predict(X) with nthread=T on the rows as a float32 numpy matrix of the model's
  codes (tree evaluation only: the DataFrame conversion is not counted), min and median of --repeat
  runs; Booster.predict(pred_contribs=True) on the first 2,000 rows, once; and Treelite: load the model, compile it with
  TL2cgen if that is installed, time its predict. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["make", "time"])
    ap.add_argument("--input", type=Path, default=Path("bench/work/applicants.csv"))
    ap.add_argument("--out", type=Path, default=Path("bench/work"))
    ap.add_argument("--trees", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5)
    return ap.parse_args()


ARGS = parse_args()
os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xgboost as xgb  # noqa: E402


def read_frame(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"applicant_id": str})
    df = df.drop(columns=["applicant_id"])
    for c in df.columns:
        if c.startswith("cat_"):
            df[c] = df[c].astype("category")
    return df


def codes_matrix(df: pd.DataFrame, booster: xgb.Booster) -> np.ndarray:
    """The rows as XGBoost's codes: numbers as they are, categories by the model's `cats` order."""
    model = json.loads(booster.save_raw("json"))["learner"]["gradient_booster"]["model"]
    enc = model["cats"]["enc"]
    cols = []
    for j, name in enumerate(booster.feature_names):
        if name.startswith("cat_"):
            col = enc[j]
            raw = bytes((v + 256) % 256 for v in col["values"])
            labels = [raw[a:b].decode() for a, b in zip(col["offsets"], col["offsets"][1:])]
            index = {label: k for k, label in enumerate(labels)}
            cols.append(np.array([index.get(v, np.nan) if isinstance(v, str) else np.nan for v in df[name].astype(object)]))
        else:
            cols.append(df[name].to_numpy(float))
    return np.column_stack(cols).astype(np.float32)


def make() -> None:
    df = read_frame(ARGS.input)
    rng = np.random.default_rng(11)

    def z(name):
        v = df[name].to_numpy(float)
        v = np.where(np.isnan(v), np.nanmean(v), v)
        return np.clip((v - v.mean()) / (v.std() + 1e-12), -3, 3)

    logit = 0.8 * np.sin(2 * z("num_000")) + 0.5 * z("num_013") * z("num_021") + 0.6 * z("num_040") - 0.7 * z("num_077")
    for k in range(0, 20, 3):
        codes = df[f"cat_{k:02d}"].cat.codes.to_numpy()
        logit += rng.normal(0, 0.5, codes.max() + 2)[codes]
    y = (rng.random(len(df)) < 1 / (1 + np.exp(-(logit - 1.0)))).astype(int)
    params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 6, "learning_rate": 0.05,
              "max_cat_to_onehot": 1, "nthread": ARGS.threads, "seed": 7, "subsample": 0.8}
    start = time.perf_counter()
    booster = xgb.train(params, xgb.DMatrix(df, y, enable_categorical=True), ARGS.trees)
    print(f"trained {ARGS.trees} rounds in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    booster.save_model(ARGS.out / "xgb_model.json")
    booster.save_model(ARGS.out / "xgb_model.ubj")
    X = codes_matrix(df, booster)
    margin = booster.inplace_predict(X, predict_type="margin")
    prob = booster.inplace_predict(X)
    direct = booster.predict(xgb.DMatrix(df, enable_categorical=True))
    assert np.array_equal(prob.view(np.uint32), direct.view(np.uint32)), "codes and frame disagree"
    with open(ARGS.out / "xgb_expected.csv", "w") as f:
        f.write("row,margin,probability\n")
        for i, (m, p) in enumerate(zip(margin, prob)):
            f.write(f"{i},{np.float32(m).view(np.uint32):08x},{np.float32(p).view(np.uint32):08x}\n")


def timed(fn, repeat: int) -> dict:
    """Wall seconds (min, median) and process CPU seconds, every thread (median)."""
    times, cpu = [], []
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - cpu_start)
        times.append(time.perf_counter() - start)
    return {"min": min(times), "median": statistics.median(times), "cpu_median": statistics.median(cpu)}


def time_all() -> None:
    booster = xgb.Booster(model_file=str(ARGS.out / "xgb_model.ubj"))
    booster.set_param({"nthread": ARGS.threads})
    df = read_frame(ARGS.input)
    X = codes_matrix(df, booster)
    out = {"xgboost": xgb.__version__, "rows": len(X), "trees": booster.num_boosted_rounds(), "threads": ARGS.threads}
    booster.inplace_predict(X)  # warm-up
    out["inplace_predict_seconds"] = timed(lambda: booster.inplace_predict(X), ARGS.repeat)
    contrib = xgb.DMatrix(X[:2000], feature_names=booster.feature_names, feature_types=booster.feature_types,
                          enable_categorical=True)
    out["pred_contribs_2000_rows_seconds"] = timed(lambda: booster.predict(contrib, pred_contribs=True), 1)
    try:
        import treelite

        out["treelite"] = treelite.__version__
        model = treelite.frontend.load_xgboost_model(str(ARGS.out / "xgb_model.json"))
        try:
            import tl2cgen

            lib = ARGS.out / "xgb_treelite.so"
            start = time.perf_counter()
            tl2cgen.export_lib(model, toolchain="gcc", libpath=str(lib), params={"parallel_comp": 8}, nthread=ARGS.threads)
            out["treelite_compile_seconds"] = time.perf_counter() - start
            predictor = tl2cgen.Predictor(str(lib), nthread=ARGS.threads)
            dmat = tl2cgen.DMatrix(X)
            out["treelite_compiled_seconds"] = timed(lambda: predictor.predict(dmat), ARGS.repeat)
        except ImportError:
            out["treelite_compiled"] = "TL2cgen (Treelite's compiler) is not installed"
        out["treelite_gtil_seconds"] = timed(lambda: treelite.gtil.predict(model, X, nthread=ARGS.threads), 1)
    except Exception as error:  # Treelite refuses the model: say why
        out["treelite_error"] = f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"
    print(json.dumps(out))


if __name__ == "__main__":
    make() if ARGS.command == "make" else time_all()
