#!/usr/bin/env python3
"""LightGBM's own TreeSHAP for the shipped bundles: for every row of each bundle's
golden.csv (the sample plus edge rows, raw as a user uploads them), the frame the training
pipeline builds (typed raw columns + derived features) goes through
`Booster.predict(pred_contrib=True)`, written beside the other golden fixtures:

    python training/golden/make_bundle_contrib.py
    -> Tests/ScoringTests/Fixtures/bundle-contrib/<bundle>.csv
       row,<model features…>,expected_value   (Python repr: round-trips exactly)

Deterministic: same bundles, same LightGBM version -> byte-identical files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import lightgbm as lgb
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))
from loanrisk_training.bundle_frame import bundle_frame  # noqa: E402

BUNDLES = ["lending-club", "german-credit", "credit-data"]
OUT = ROOT / "Tests/ScoringTests/Fixtures/bundle-contrib"


def contributions(folder: Path) -> tuple[list[str], np.ndarray]:
    frame = bundle_frame(folder, folder / "golden.csv")
    booster = lgb.Booster(model_file=str(folder / "model.txt"))
    return list(frame.columns), booster.predict(frame, pred_contrib=True, num_threads=1)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in BUNDLES:
        model_features, values = contributions(ROOT / "Data/models" / name)
        lines = [",".join(["row", *model_features, "expected_value"])]
        lines += [",".join([str(i), *(repr(float(v)) for v in row)]) for i, row in enumerate(values)]
        (OUT / f"{name}.csv").write_text("\n".join(lines) + "\n")
        print(f"{name}: {len(values)} rows x {values.shape[1]} values")


if __name__ == "__main__":
    main()
