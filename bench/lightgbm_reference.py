#!/usr/bin/env python3
"""LightGBM (Python) reference timings that the Swift scorer is compared to.

    python bench/lightgbm_reference.py --model bench/work/model.txt \\
        --input bench/work/applicants.csv --threads 2 [--repeat 3] [--contrib-rows 5000] \\
        [--process-repeat 1] [--json]

Figures (same rows, same thread count as the Swift side):

  predict_seconds        Booster.predict(X, num_threads=T) on the already-loaded DataFrame
                         (includes LightGBM's own DataFrame -> float64 matrix conversion; the
                         CSV read is excluded). min / median over --repeat runs.
  predict_numpy_seconds  the same on a pre-built float64 numpy matrix: tree evaluation only.
  pipeline_seconds       pd.read_csv (categorical columns read straight into the model's
                         pandas_categorical levels) + predict + df.to_csv(input columns +
                         probability_of_default) to a temp file, in-process wall time; the
                         counterpart of `loanrisk score`. Also the read/predict/write parts.
  peak_rss_mb            resource.getrusage(RUSAGE_SELF).ru_maxrss after the pipeline runs
                         (the whole Python process: interpreter, pandas, LightGBM, model,
                         frame, output), and the baseline before the first pipeline run.
  process_pipeline_seconds  the pipeline as a fresh `python` process (interpreter start,
                         imports, model load, read, predict, write), wall time measured by
                         this script, with that child's own peak RSS: the like-for-like
                         figure for the `loanrisk score` process. (The child reports VmHWM:
                         after fork+exec Linux's ru_maxrss still counts the parent's RSS.)
  contrib_seconds        predict(X[:contrib_rows], pred_contrib=True, num_threads=T), once;
                         skipped with --contrib-rows 0 (the default).

LightGBM's predict parallelises across ROWS with OpenMP (`#pragma omp parallel for` over the
rows in its C API predictor); `num_threads=T` sets the OpenMP team size. OMP_NUM_THREADS and
OPENBLAS_NUM_THREADS are set to T before numpy/LightGBM are imported so that no other
library spins up extra threads.

Each timed stage also records the process CPU seconds of every run (`cpu_all`): on an
otherwise idle machine cpu/wall is close to T for predict; clearly less means another
process was competing for the cores and the figures should be taken again.

With --json, stdout is a single JSON object and the human-readable lines go to stderr.
If an `expected.csv` (row,probability) sits next to the input it is compared bit for bit.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=Path("bench/work/model.txt"))
    ap.add_argument("--input", type=Path, default=Path("bench/work/applicants.csv"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--contrib-rows", type=int, default=0)
    ap.add_argument("--process-repeat", type=int, default=1,
                    help="fresh-process pipeline runs (0 to skip)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--pipeline-once", action="store_true", help=argparse.SUPPRESS)
    return ap.parse_args(argv)


ARGS = parse_args()
# must happen before numpy / lightgbm are imported
os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)
os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.threads)
os.environ["MKL_NUM_THREADS"] = str(ARGS.threads)

import resource  # noqa: E402
import warnings  # noqa: E402

import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

OUTPUT_COLUMN = "probability_of_default"

# adding the output column to a frame of ~120 separately-allocated columns is harmless
warnings.simplefilter("ignore", pd.errors.PerformanceWarning)


def log(msg: str):
    print(msg, file=sys.stderr if ARGS.json else sys.stdout, flush=True)


def maxrss_mb() -> float:
    v = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes
    return v / (1024 * 1024) if sys.platform == "darwin" else v / 1024


def hwm_mb() -> float:
    """Peak RSS of this process image. In a child started by fork+exec, Linux's ru_maxrss
    still includes the PARENT's RSS at fork time; /proc/self/status VmHWM does not."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return maxrss_mb()


def stats(xs: list[float], cpu: list[float] | None = None) -> dict:
    d = {"min": min(xs), "median": statistics.median(xs), "all": xs}
    if cpu is not None:
        # process CPU seconds (user+sys) of each run: cpu/wall well below the thread count
        # means the run was waiting (e.g. another process was using the cores)
        d["cpu_all"] = cpu
    return d


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def model_categoricals(model_path: Path, booster: lgb.Booster) -> dict[str, list]:
    """feature name -> category list, for pandas-categorical features of the model."""
    names = booster.feature_name()
    cat_idx: list[int] = []
    with open(model_path) as fh:
        for line in fh:
            if line.startswith("[categorical_feature: "):
                body = line.strip()[len("[categorical_feature: "):-1]
                cat_idx = [int(v) for v in body.split(",") if v.strip()]
                break
    pc = booster.pandas_categorical or []
    if pc and len(pc) != len(cat_idx):
        raise SystemExit(f"pandas_categorical has {len(pc)} lists, "
                         f"categorical_feature has {len(cat_idx)} features")
    return {names[i]: levels for i, levels in zip(cat_idx, pc)}


def read_input(path: Path, cats: dict[str, list]) -> pd.DataFrame:
    dtypes = {name: pd.CategoricalDtype(levels) for name, levels in cats.items()}
    dtypes.setdefault("applicant_id", str)
    # default NA handling: '', NA, NaN, null, None, N/A, ... are missing; a label not in the
    # category list becomes NaN (what LightGBM does with pandas_categorical)
    return pd.read_csv(path, dtype=dtypes)


def pipeline(booster, cats, feature_names, input_path: Path, threads: int, out_path: Path):
    t0 = time.perf_counter()
    df = read_input(input_path, cats)
    t1 = time.perf_counter()
    prob = booster.predict(df[feature_names], num_threads=threads)
    t2 = time.perf_counter()
    df[OUTPUT_COLUMN] = prob
    df.to_csv(out_path, index=False)
    t3 = time.perf_counter()
    return {"total": t3 - t0, "read": t1 - t0, "predict": t2 - t1, "write": t3 - t2}, df, prob


def pipeline_once_main():
    """Child process: the whole `score` job once; reports its own time and peak RSS."""
    t0 = time.perf_counter()
    booster = lgb.Booster(model_file=str(ARGS.model))
    cats = model_categoricals(ARGS.model, booster)
    with tempfile.TemporaryDirectory() as tmp:
        parts, _, _ = pipeline(booster, cats, booster.feature_name(), ARGS.input, ARGS.threads,
                               Path(tmp) / "scored.csv")
    print(json.dumps({"in_process_seconds": time.perf_counter() - t0, "parts": parts,
                      "peak_rss_mb": hwm_mb()}))


def main():
    args = ARGS
    res: dict = {
        "lightgbm_version": lgb.__version__,
        "pandas_version": pd.__version__,
        "numpy_version": np.__version__,
        "python": sys.version.split()[0],
        "cpu_count": os.cpu_count(),
        "loadavg_at_start": list(os.getloadavg()),
        "threads": args.threads,
        "repeat": args.repeat,
        "model": str(args.model),
        "input": str(args.input),
    }
    rss_imports = maxrss_mb()

    t0 = time.perf_counter()
    booster = lgb.Booster(model_file=str(args.model))
    cats = model_categoricals(args.model, booster)
    res["model_load_seconds"] = time.perf_counter() - t0
    feature_names = booster.feature_name()
    res["trees"] = booster.num_trees()
    res["features"] = len(feature_names)
    res["categorical_features"] = len(cats)
    res["rss_mb_after_imports"] = rss_imports
    res["rss_mb_before_pipeline"] = maxrss_mb()
    log(f"LightGBM {lgb.__version__}, {args.threads} thread(s); model: {res['trees']} trees, "
        f"{len(feature_names)} features ({len(cats)} categorical), loaded in "
        f"{res['model_load_seconds']:.2f}s")

    # ---- pipeline: read + predict + write, in-process
    runs, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out_path = Path(tmp) / "scored.csv"
        for _ in range(args.repeat):
            c0 = cpu_seconds()
            parts, df, prob = pipeline(booster, cats, feature_names, args.input, args.threads,
                                       out_path)
            runs.append(parts)
            cpus.append(cpu_seconds() - c0)
        res["output_bytes"] = out_path.stat().st_size
    res["rows"] = len(df)
    res["pipeline_seconds"] = stats([p["total"] for p in runs], cpus)
    for k in ("read", "predict", "write"):
        res["pipeline_seconds"][f"{k}_min"] = min(p[k] for p in runs)
    res["peak_rss_mb"] = maxrss_mb()
    log(f"pipeline (read_csv + predict + to_csv), {res['rows']} rows: "
        f"min {res['pipeline_seconds']['min']:.3f}s, median "
        f"{res['pipeline_seconds']['median']:.3f}s  [read {res['pipeline_seconds']['read_min']:.3f}"
        f" / predict {res['pipeline_seconds']['predict_min']:.3f}"
        f" / write {res['pipeline_seconds']['write_min']:.3f}]; peak RSS {res['peak_rss_mb']:.0f} MB "
        f"(before pipeline {res['rss_mb_before_pipeline']:.0f} MB)")

    # ---- parity with expected.csv, if present
    expected_path = args.input.parent / "expected.csv"
    if expected_path.exists():
        exp = pd.read_csv(expected_path)
        same = len(exp) == len(prob) and np.array_equal(exp["probability"].to_numpy(), prob)
        res["matches_expected"] = bool(same)
        log(f"probabilities == {expected_path}: {same}")
    else:
        res["matches_expected"] = None

    # ---- predict only, on the loaded DataFrame
    X = df[feature_names]
    times, cpus = [], []
    for _ in range(args.repeat):
        c0, t0 = cpu_seconds(), time.perf_counter()
        booster.predict(X, num_threads=args.threads)
        times.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds() - c0)
    res["predict_seconds"] = stats(times, cpus)
    log(f"predict (DataFrame): min {min(times):.3f}s, median {statistics.median(times):.3f}s "
        f"({res['rows'] / min(times):,.0f} rows/s; cpu/wall "
        f"{min(c / t for c, t in zip(cpus, times)):.2f}..{max(c / t for c, t in zip(cpus, times)):.2f})")

    cols = []
    for c in feature_names:
        if c in cats:
            v = X[c].cat.codes.to_numpy().astype(np.float64)
            v[v < 0] = np.nan
        else:
            v = X[c].to_numpy(dtype=np.float64)
        cols.append(v)
    M = np.column_stack(cols)
    M = np.ascontiguousarray(M)
    times, cpus = [], []
    for _ in range(args.repeat):
        c0, t0 = cpu_seconds(), time.perf_counter()
        p_np = booster.predict(M, num_threads=args.threads)
        times.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds() - c0)
    assert np.array_equal(p_np, prob)
    res["predict_numpy_seconds"] = stats(times, cpus)
    log(f"predict (float64 matrix): min {min(times):.3f}s, median "
        f"{statistics.median(times):.3f}s")

    # ---- TreeSHAP
    res["contrib_rows"] = args.contrib_rows
    if args.contrib_rows > 0:
        Xc = X.iloc[:args.contrib_rows]
        c0, t0 = cpu_seconds(), time.perf_counter()
        c = booster.predict(Xc, pred_contrib=True, num_threads=args.threads)
        res["contrib_seconds"] = time.perf_counter() - t0
        res["contrib_cpu_seconds"] = cpu_seconds() - c0
        raw = booster.predict(Xc, raw_score=True, num_threads=args.threads)
        res["contrib_max_abs_sum_error"] = float(np.abs(c.sum(axis=1) - raw).max())
        log(f"pred_contrib, {len(Xc)} rows: {res['contrib_seconds']:.3f}s "
            f"({len(Xc) / res['contrib_seconds']:,.0f} rows/s)")
    else:
        res["contrib_seconds"] = None

    # ---- the pipeline as a whole fresh process
    if args.process_repeat > 0:
        cmd = [sys.executable, os.path.abspath(__file__), "--model", str(args.model),
               "--input", str(args.input), "--threads", str(args.threads), "--pipeline-once"]
        walls, rss, inproc = [], [], []
        for _ in range(args.process_repeat):
            t0 = time.perf_counter()
            out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                                 env=os.environ.copy())
            walls.append(time.perf_counter() - t0)
            child = json.loads(out.stdout.strip().splitlines()[-1])
            rss.append(child["peak_rss_mb"])
            inproc.append(child["in_process_seconds"])
        res["process_pipeline_seconds"] = stats(walls)
        res["process_peak_rss_mb"] = max(rss)
        res["process_in_process_seconds"] = stats(inproc)
        log(f"pipeline as a fresh process: min {min(walls):.3f}s wall "
            f"(interpreter+imports+load+read+predict+write; {min(inproc):.3f}s after the imports), "
            f"peak RSS {max(rss):.0f} MB (VmHWM)")

    if args.json:
        print(json.dumps(res))


if __name__ == "__main__":
    if ARGS.pipeline_once:
        pipeline_once_main()
    else:
        main()
