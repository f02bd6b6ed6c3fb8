#!/usr/bin/env python3
"""Regenerate the points-scorecard golden fixtures used by the Swift scorecard tests.

    .build/scorecard-venv/bin/python training/golden/make_scorecard_golden.py \
        [--out Tests/ScoringTests/Fixtures/scorecard]

Runs in the scorecard virtual environment (training/requirements-scorecard.txt: scorecardpy
needs pandas < 3 and setuptools < 80). Fits real cards with the real libraries and writes,
per case, `<case>.json` (the LoanRisk scorecard document, by training/export_scorecard.py)
and `<case>.rows.json`: rows to score and what the library itself gives them.

    optbinning          credit_data.csv (missing values present), BinningProcess +
                        LogisticRegression, pdo_odds 20 / 50:1 / 600, a special code
    optbinning_rounded  the same, rounding=True and intercept_based=True (base points)
    scorecardpy         german_credit.csv, woebin + LogisticRegression + scorecard; missing
                        credit amounts (a `missing` bin) and missing ages (no such bin)
    toad                german_credit.csv, Combiner(chi) + WOETransformer + ScoreCard

Rows: training rows, then for every characteristic each value exactly on a bin edge and one
ulp below it, a missing value, each special value, every category label and an unseen one.
Each row's `points` is the library's own total (`Scorecard.score`, `scorecard_ply`,
`ScoreCard.predict`), also as the float64's bits in hex, and `probability` is the probability
of default the card's score-to-odds mapping gives (toad: its own `score_to_proba`).
Deterministic: no randomness beyond fixed seeds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import struct
import sys
import warnings

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))

from export_scorecard import (from_optbinning, from_scorecardpy, from_toad,  # noqa: E402
                              write_document)

warnings.filterwarnings("ignore")

UNSEEN = "never-seen-in-training"
SPECIAL = 99999999.0


def bits(x: float) -> str:
    return struct.pack(">d", float(x)).hex()


def mapping_probability(doc: dict, points: float) -> float:
    o = doc["odds"]
    factor = o["pdo"] / math.log(o["pdo_multiplier"])
    sign = 1.0 if o["higher_is_safer"] else -1.0
    raw = -math.log(o["odds"]) - sign * (points - o["score"]) / factor
    return 1.0 / (1.0 + math.exp(-raw))


def probe_rows(doc: dict, base: pd.DataFrame) -> pd.DataFrame:
    """Rows that put each characteristic on its bin edges, missing, special and unseen."""
    template = base.iloc[[0]]
    rows = []
    for ch in doc["characteristics"]:
        name = ch["name"]
        values: list = [np.nan]
        if ch["kind"] == "numeric":
            for b in ch["bins"]:
                for e in (b["lower"], b["upper"]):
                    if e is not None:
                        values += [e, np.nextafter(e, -np.inf), np.nextafter(e, np.inf)]
            for s in ch["special"]:
                values += s["values"]
        else:
            for b in ch["bins"]:
                values += b["labels"]
            values.append(UNSEEN)
        for v in values:
            row = template.copy()
            if ch["kind"] == "numeric":
                row[name] = row[name].astype(float)
            row[name] = v
            rows.append(row)
    probes = pd.concat(rows, ignore_index=True)
    for c in base.columns:
        if np.issubdtype(base[c].dtype, np.number):
            probes[c] = probes[c].astype(float)
    return probes


def row_records(doc: dict, X: pd.DataFrame, points, probabilities=None) -> list[dict]:
    names = [c["name"] for c in doc["characteristics"]]
    out = []
    for i, (_, r) in enumerate(X.iterrows()):
        values = {}
        for n in names:
            v = r[n]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                values[n] = None
            elif isinstance(v, (int, float, np.integer, np.floating)):
                values[n] = float(v)
            else:
                values[n] = str(v)
        p = float(points[i])
        prob = float(probabilities[i]) if probabilities is not None else mapping_probability(doc, p)
        out.append({"values": values, "points": p, "points_bits": bits(p), "probability": prob})
    return out


def write_case(out: str, case: str, doc: dict, rows: list[dict]) -> None:
    write_document(doc, os.path.join(out, f"{case}.json"))
    with open(os.path.join(out, f"{case}.rows.json"), "w", encoding="utf-8") as f:
        json.dump({"case": case, "rows": rows}, f, indent=0, allow_nan=False, ensure_ascii=False)
        f.write("\n")
    print(f"{case}: {len(doc['characteristics'])} characteristics, {len(rows)} rows")


def optbinning_cases(out: str) -> None:
    from optbinning import BinningProcess, Scorecard
    from sklearn.linear_model import LogisticRegression

    df = pd.read_csv(os.path.join(ROOT, "Data/datasets/credit_data.csv"))
    y = (df.pop("Status") == "bad").astype(int)
    X = df
    for case, extra in (("optbinning", {}), ("optbinning_rounded", {"rounding": True, "intercept_based": True})):
        bp = BinningProcess(list(X.columns), special_codes=[SPECIAL])
        card = Scorecard(bp, LogisticRegression(max_iter=1000), scaling_method="pdo_odds",
                         scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600},
                         **extra)
        card.fit(X, y)
        doc = from_optbinning(card, X=X)
        rows = pd.concat([X.iloc[:300], probe_rows(doc, X)], ignore_index=True)
        points = card.score(rows)
        write_case(out, case, doc, row_records(doc, rows, points))


def german() -> tuple[pd.DataFrame, pd.Series]:
    dat = pd.read_csv(os.path.join(ROOT, "Data/datasets/german_credit.csv"))
    y = (dat.pop("creditability") == "bad").astype(int)
    cols = ["status_of_existing_checking_account", "duration_in_month", "credit_history",
            "purpose", "credit_amount", "savings_account_and_bonds", "age_in_years",
            "property", "housing"]
    X = dat[cols].copy()
    X["credit_amount"] = X["credit_amount"].astype(float)
    X.loc[::29, "credit_amount"] = np.nan  # missing values the binning sees
    return X, y


def scorecardpy_case(out: str) -> None:
    import scorecardpy as sc
    from sklearn.linear_model import LogisticRegression

    X, y = german()
    dt = X.assign(creditability=y)
    bins = sc.woebin(dt, "creditability", print_step=0)
    woe = sc.woebin_ply(dt, bins, print_step=0)
    lr = LogisticRegression(C=0.9, max_iter=1000)
    lr.fit(woe.drop(columns="creditability"), woe["creditability"])
    card = sc.scorecard(bins, lr, woe.drop(columns="creditability").columns)
    doc = from_scorecardpy(card, X=X)
    rows = pd.concat([X.iloc[:300], probe_rows(doc, X)], ignore_index=True)
    # Ages missing too: age has no `missing` bin, so such a row gets no age points.
    rows.loc[rows.index[-3:], "age_in_years"] = np.nan
    points = sc.scorecard_ply(rows, card, print_step=0)["score"].to_numpy()
    write_case(out, "scorecardpy", doc, row_records(doc, rows, points))


def fit_toad():
    """toad's card on german credit: Combiner (chi-square) + WOETransformer + ScoreCard."""
    import toad

    X, y = german()
    combiner = toad.transform.Combiner()
    combiner.fit(X.assign(creditability=y), y="creditability", method="chi", min_samples=0.05)
    binned = combiner.transform(X)
    transer = toad.transform.WOETransformer()
    woe = transer.fit_transform(binned, y)
    card = toad.ScoreCard(combiner=combiner, transer=transer, pdo=60, rate=2,
                          base_odds=35, base_score=750)
    card.fit(woe, y)
    return card, X


def toad_case(out: str) -> None:
    card, X = fit_toad()
    doc = from_toad(card, X=X)
    rows = pd.concat([X.iloc[:300], probe_rows(doc, X)], ignore_index=True)
    points = np.asarray(card.predict(rows))
    proba = card.score_to_proba(points)
    write_case(out, "toad", doc, row_records(doc, rows, points, proba))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "Tests/ScoringTests/Fixtures/scorecard"))
    out = ap.parse_args().out
    os.makedirs(out, exist_ok=True)
    optbinning_cases(out)
    scorecardpy_case(out)
    toad_case(out)


if __name__ == "__main__":
    main()
