"""LoanRisk's PSI (Sources/Scoring/Drift, through `scoring-bench drift`) equals Evidently's own
PSI on the same bins within 1e-9, for a file like the reference, one with columns in other
units and missing values, and one with every value of a column missing."""
import json
import pathlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from drift_evidently import parity  # noqa: E402

FIXTURE = ROOT / "Tests/ScoringTests/Fixtures/golden/numeric_missing_nan"


def binary() -> pathlib.Path:
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    candidate = pathlib.Path(path) / "scoring-bench"
    if not candidate.exists():
        subprocess.run(["swift", "build", "--product", "scoring-bench"], cwd=ROOT, check=True, capture_output=True)
    return candidate


def ours(tmp_path, reference: pd.DataFrame, current: pd.DataFrame) -> dict:
    reference_path, current_path, out = tmp_path / "reference.csv", tmp_path / "current.csv", tmp_path / "psi.json"
    reference.to_csv(reference_path, index=False, float_format="%.17g")
    current.to_csv(current_path, index=False, float_format="%.17g")
    subprocess.run([str(binary()), "drift", "--model", str(FIXTURE / "model.txt"), "--reference", str(reference_path),
                    "--current", str(current_path), "--repeats", "1", "--threads", "2", "--psi-out", str(out)], check=True,
                   capture_output=True)
    return json.load(open(out))


def frames():
    reference = pd.read_csv(FIXTURE / "input.csv", float_precision="round_trip").apply(pd.to_numeric, errors="coerce")
    rng = np.random.default_rng(7)
    # Six times over, each copy nudged, so there are enough rows for deciles.
    reference = pd.concat([reference * (1 + 0.01 * rng.standard_normal(reference.shape)) for _ in range(6)], ignore_index=True)
    return reference


@pytest.mark.parametrize("case", ["same", "units", "all_missing"])
def test_psi_equals_evidentlys_on_the_same_bins(tmp_path, case):
    reference = frames()
    current = reference.sample(frac=0.8, random_state=3).reset_index(drop=True)
    columns = list(reference.columns)
    if case == "units":
        current[columns[0]] = current[columns[0]] / 100
        current[columns[1]] = current[columns[1]] * 12
        current.loc[current.index[:40], columns[2]] = np.nan
    if case == "all_missing":
        current[columns[0]] = np.nan
    psi = ours(tmp_path, reference, current)
    assert len(psi) == len(columns), sorted(psi)
    reread = pd.read_csv(tmp_path / "reference.csv", float_precision="round_trip"), pd.read_csv(tmp_path / "current.csv", float_precision="round_trip")
    assert parity(*reread, psi) <= 1e-9
    if case != "same":
        assert psi[columns[0]]["psi"] > 0.25, psi[columns[0]]
    else:
        assert max(entry["psi"] for entry in psi.values()) < 0.1
