#!/usr/bin/env python3
"""A lender's own model and sample, for `loanrisk bundle init` (BundleDraft) tests:

    python training/golden/make_bundle_init.py
    -> Tests/ScoringTests/Fixtures/bundle-init/credit-data-raw/
       model.txt            LightGBM trained on credit_data.csv's raw columns (no derived
                            features; Marital, a protected column, left out), pandas categories
       sample.csv           the 300 rows held out of training: applicant_id, the inputs as the
                            dataset writes them, Status (the outcome)
       sample-semicolon.csv the same rows as a European spreadsheet saves them (";", decimal commas)
       expected.json        what the real libraries say about the sample: LightGBM's own
                            probabilities, the training pipeline's reference bins
                            (loanrisk_training.reference) and metrics (loanrisk_training.metrics,
                            scikit-learn's roc_auc_score)

Deterministic (fixed seed, one thread): running it again writes byte-identical files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))
from loanrisk_training import metrics, reference  # noqa: E402

OUT = ROOT / "Tests/ScoringTests/Fixtures/bundle-init/credit-data-raw"
INPUTS = ["Seniority", "Home", "Time", "Age", "Records", "Job", "Expenses", "Income", "Assets", "Debt", "Amount", "Price"]
CATEGORICAL = ["Home", "Records", "Job"]
HELD_OUT = 300


def frame(text: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    """The model's input frame from cells as text: empty = missing."""
    out = pd.DataFrame(index=text.index)
    for name in INPUTS:
        cells = text[name].replace("", np.nan)
        if name in CATEGORICAL:
            out[name] = pd.Categorical(cells, categories=categories[name])
        else:
            out[name] = cells.astype(np.float64)
    return out


def main() -> None:
    text = pd.read_csv(ROOT / "Data/datasets/credit_data.csv", dtype=str, keep_default_na=False)
    train_text, held_text = text.iloc[:-HELD_OUT], text.iloc[-HELD_OUT:]
    categories = {name: sorted(v for v in train_text[name].unique() if v != "") for name in CATEGORICAL}
    train = frame(train_text, categories)
    y = (train_text["Status"] == "bad").astype(int).to_numpy()
    params = {"objective": "binary", "num_leaves": 15, "learning_rate": 0.1, "min_data_in_leaf": 20, "seed": 7,
              "deterministic": True, "num_threads": 1, "force_row_wise": True, "verbose": -1}
    booster = lgb.train(params, lgb.Dataset(train, label=y, categorical_feature=CATEGORICAL), num_boost_round=60)
    OUT.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(OUT / "model.txt"))

    sample = held_text[INPUTS + ["Status"]].copy()
    sample.insert(0, "applicant_id", [f"CD-R-{i:04d}" for i in range(len(sample))])
    sample.to_csv(OUT / "sample.csv", index=False)
    european = sample.copy()
    for name in INPUTS:
        if name not in CATEGORICAL:
            european[name] = european[name].str.replace(".", ",", regex=False)
    european.to_csv(OUT / "sample-semicolon.csv", index=False, sep=";")

    held = frame(held_text, categories)
    p = lgb.Booster(model_file=str(OUT / "model.txt")).predict(held, num_threads=1)
    y_held = (held_text["Status"] == "bad").astype(int).to_numpy()
    specs = [{"name": n, "kind": "categorical" if n in CATEGORICAL else "numeric"} for n in INPUTS]
    scale = reference.scaling(600, 50, 20)
    expected = {
        "probabilities": [float(v) for v in p],
        "reference": {"features": reference.features(held, specs), "probability": reference.numeric(p),
                      "score": reference.numeric(reference.points(p, scale))},
        "metrics": metrics.summary(y_held, p),
        "versions": {"lightgbm": lgb.__version__, "numpy": np.__version__, "pandas": pd.__version__},
    }
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
