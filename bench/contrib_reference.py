#!/usr/bin/env python3
"""LightGBM's own TreeSHAP (`predict(..., pred_contrib=True)`) on the first rows of a CSV,
timed at a given thread count, its values saved for the Swift side to compare.

    python bench/contrib_reference.py --model <bundle dir | model.txt> --input <file.csv> \\
        --rows 5000 --threads 2 --out bench/work/contrib.f64 [--repeat N] [--json]

A bundle folder is read as the training pipeline reads it (raw columns typed from bundle.json,
derived features computed by loanrisk_training), so the frame is the one the model was
trained on; a bare model.txt reads the CSV with pandas, categorical columns over the model's
pandas_categorical levels. The output file is rows x (features + 1) little-endian float64.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
ap.add_argument("--model", type=Path, required=True)
ap.add_argument("--input", type=Path, required=True)
ap.add_argument("--rows", type=int, default=0, help="rows from the top of the file (0: all)")
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--repeat", type=int, default=1, help="timed calls; the fastest is reported")
ap.add_argument("--out", type=Path, required=True)
ap.add_argument("--json", action="store_true")
ARGS = ap.parse_args()
os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)  # before numpy / lightgbm load

import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "training"))
from loanrisk_training.bundle_frame import bundle_frame  # noqa: E402


def bundle_model_frame(folder: Path, path: Path, rows: int) -> tuple[lgb.Booster, pd.DataFrame]:
    return lgb.Booster(model_file=str(folder / "model.txt")), bundle_frame(folder, path, rows)


def bare_frame(model: Path, path: Path, rows: int) -> tuple[lgb.Booster, pd.DataFrame]:
    booster = lgb.Booster(model_file=str(model))
    names = booster.feature_name()
    categorical: list[int] = []
    for line in model.read_text().splitlines():
        if line.startswith("[categorical_feature: "):
            categorical = [int(v) for v in line.strip()[len("[categorical_feature: "):-1].split(",") if v.strip()]
            break
    levels = dict(zip((names[i] for i in categorical), booster.pandas_categorical or []))
    frame = pd.read_csv(path, nrows=rows or None, usecols=names,
                        dtype={n: pd.CategoricalDtype(levels[n]) for n in levels})
    return booster, frame[names]


booster, frame = (bundle_model_frame if ARGS.model.is_dir() else bare_frame)(ARGS.model, ARGS.input, ARGS.rows)
seconds = float("inf")
for _ in range(max(1, ARGS.repeat)):
    start = time.perf_counter()
    contrib = booster.predict(frame, pred_contrib=True, num_threads=ARGS.threads)
    seconds = min(seconds, time.perf_counter() - start)
np.ascontiguousarray(contrib, dtype="<f8").tofile(ARGS.out)
figures = {"rows": len(frame), "features": frame.shape[1], "threads": ARGS.threads,
           "seconds": seconds, "rows_per_second": len(frame) / seconds, "lightgbm": lgb.__version__}
if ARGS.json:
    print(json.dumps(figures, sort_keys=True))
else:
    for key, value in sorted(figures.items()):
        print(f"{key}: {value}")
