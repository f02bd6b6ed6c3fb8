"""A lender's points scorecard: optbinning on the German credit data.

Weight-of-evidence bins and a logistic regression, scaled to points (600 at odds of 50:1,
20 points to double the odds), as a credit committee reads a card. Protected or
age-related columns (`personal_status_and_sex`, `age_in_years`, `foreign_worker`) are not
characteristics.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from . import common

DATASET = "german_credit.csv"
SAMPLE = "german-credit-sample.csv"
TARGET, BAD = "creditability", "bad"
EXCLUDED = {"age_in_years"}


def train(out: Path) -> common.Artefact:
    from optbinning import BinningProcess, Scorecard

    from training.export_scorecard import from_optbinning, write_document

    data, sample = common.split(DATASET, SAMPLE)
    features = [c for c in sample.columns if c != common.ID_COLUMN and c not in EXCLUDED]
    x = data[features].copy()
    categorical = [c for c in features if not pd.api.types.is_numeric_dtype(x[c])]
    for column in categorical:
        x[column] = x[column].astype(object)
    y = (data[TARGET] == BAD).astype(int).to_numpy()
    binning = BinningProcess(features, categorical_variables=categorical, min_prebin_size=0.05)
    card = Scorecard(
        binning_process=binning, estimator=LogisticRegression(max_iter=1000),
        scaling_method="pdo_odds", scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600})
    card.fit(x, y)
    document = from_optbinning(card, X=x)
    path = out / "scorecard-german-credit.scorecard.json"
    write_document(document, str(path))
    rows = sample[features].copy()
    for column in categorical:
        rows[column] = rows[column].astype(object)
    points = np.asarray(card.score(rows))
    probability = card.predict_proba(rows)[:, 1]
    import optbinning

    return common.Artefact(
        name="german-credit", kind="scorecard", model=path, sample=common.SAMPLES / SAMPLE,
        expected={a: {"points": float(s), "probability": float(p)} for a, s, p in zip(sample[common.ID_COLUMN], points, probability)},
        note=f"optbinning {optbinning.__version__}, {len(features)} characteristics, 600 points at 50:1, 20 to double")
