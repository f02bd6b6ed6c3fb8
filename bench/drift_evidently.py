"""Evidently's PSI beside LoanRisk's, on the same data (bench/drift.sh).

1. Parity: for every column, the reference's and the current file's values are put in
   LoanRisk's bins (the edges `scoring-bench drift --psi-out` wrote; missing values as their
   own bin) and handed to Evidently's own PSI (`evidently.legacy.calculations.stattests.psi`)
   as categories, so both compute over the same bins; the largest difference is printed.
2. Speed: Evidently 0.7's Report([DataDriftPreset(method="psi")]) on the raw frames, timed.

    python bench/drift_evidently.py REFERENCE.csv CURRENT.csv PSI.json [--time]
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from evidently.legacy.calculations.stattests.psi import _psi
from evidently.legacy.core import ColumnType


def labels(values: pd.Series, edges: list) -> pd.Series:
    """Bin i holds edges[i] <= x < edges[i+1] (the last also x == edges[-1]); values below the
    first edge go to the first bin, above the last to the last; missing is its own label."""
    edges = np.asarray(edges, dtype=float)
    x = values.to_numpy(dtype=float)
    index = np.searchsorted(edges, x, side="right") - 1
    index = np.clip(index, 0, len(edges) - 2)
    out = np.where(np.isnan(x), "missing", index.astype(str))
    return pd.Series(out, dtype=object)


def parity(reference: pd.DataFrame, current: pd.DataFrame, ours: dict) -> float:
    worst = 0.0
    for column, entry in ours.items():
        theirs, _ = _psi(labels(reference[column], entry["edges"]), labels(current[column], entry["edges"]), ColumnType.Categorical, 0.1)
        worst = max(worst, abs(float(theirs) - entry["psi"]))
    return worst


def main() -> int:
    reference_path, current_path, psi_path = sys.argv[1:4]
    ours = json.load(open(psi_path))
    # round_trip: pandas' default parser is not correctly rounded, and values that sit on a
    # bin edge (the edges are data values) would change bins by one ulp.
    reference = pd.read_csv(reference_path, float_precision="round_trip")
    current = pd.read_csv(current_path, float_precision="round_trip")
    difference = parity(reference, current, ours)
    print(f"parity: {len(ours)} columns, largest |Evidently - LoanRisk| = {difference:.3g}")
    if "--time" in sys.argv:
        from evidently import Report
        from evidently.presets import DataDriftPreset
        columns = list(ours)
        start = time.perf_counter()
        Report([DataDriftPreset(columns=columns, method="psi")]).run(current[columns], reference[columns])
        print(f"Evidently {__import__('evidently').__version__} DataDriftPreset(method='psi'), {len(current):,} rows x {len(columns)} columns: "
              f"{time.perf_counter() - start:.2f} s")
    return 0 if difference <= 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
