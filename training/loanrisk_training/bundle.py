"""Assembling bundle.json (format version 1, Data/models/README.md) from a finished build."""

from __future__ import annotations

import json
import platform
from pathlib import Path

import imblearn
import lightgbm as lgb
import numpy as np
import pandas as pd
import sklearn

from . import data, metrics, missingness, policy, reference
from .stages import FinalModel, OutOfFoldResult, PolicyResult, ReportResult, SearchResult, TrainingData

REASON_FLOOR = 0.02

DEFINITIONS = {
    "ece": "10 equal-width bins of [0, 1] (bin i: i/10 <= p < (i+1)/10, the last includes 1); "
           "ECE = sum over bins of (count / N) * |mean predicted - observed bad rate|",
    "ks": "max over thresholds of TPR - FPR",
    "gini": "2 * roc_auc - 1",
    "brier": "mean of (p - y)^2, y = 1 for bad",
    "std": "sample standard deviation (ddof = 1) over the folds",
    "reliability": "pooled out-of-fold predictions in the ECE's 10 equal-width bins; bins without predictions are left out",
    "roc": "pooled out-of-fold predictions; at most 101 points; predict bad when p >= threshold",
}


def feature_specs(features: list[dict], cats: dict, raw: pd.DataFrame, example: list[str]) -> list[dict]:
    specs = []
    for f, value in zip(features, example):
        column = raw[f["name"]]
        numeric = f["kind"] != "categorical"
        present = numeric and bool(column.notna().any())
        specs.append({
            "name": f["name"], "kind": f["kind"],
            "categories": None if numeric else cats[f["name"]],
            "minimum": float(np.nanmin(column)) if present else None,
            "maximum": float(np.nanmax(column)) if present else None,
            "description": f["description"], "unit": f.get("unit"), "phrase": f["phrase"],
            "example": data.cell(value),
            # Words an applicant reads for a label (reasons, forms); only where the data's own
            # labels are codes.
            **({"labels": f["labels"]} if f.get("labels") else {}),
        })
    return specs


def assemble(t: TrainingData, searched: SearchResult, predictions: OutOfFoldResult, model: FinalModel,
             chosen: PolicyResult, reported: ReportResult, created: str) -> dict:
    """bundle.json from the stages' results (`stages`), and nothing else."""
    r, s = t.recipe, t.settings
    p, y = predictions.predictions.pooled(t.y)
    mean, std = predictions.predictions.mean_std()
    cut = chosen.cutoffs
    calibrated = predictions.calibration["apply"]
    return {
        "format_version": 1,
        "name": r["bundle_name"],
        "version": r["version"],
        "created": created,
        "title": r["title"],
        "description": r["description"],
        "target": {k: r["target"][k] for k in ("column", "positive_label", "definition")},
        "id_column": t.id_column,
        "features": chosen.feature_specs,
        "derived_features": r["derived_features"],
        "model_features": r["model_features"],
        # Never model inputs, never asked for: Scoring refuses a bundle whose model reads one.
        "protected_inputs": [{k: f[k] for k in ("name", "kind", "basis", "description", "phrase")}
                             for f in r["features"] if f.get("role") == "protected"],
        "age": r.get("age"),
        # {model feature: +1 | -1}: the model's risk never falls (+1) or never rises (-1) as it rises.
        "monotone_constraints": reported.monotone,
        "policy": {
            "approve_below": cut["approve_below"],
            "decline_at_or_above": cut["decline_at_or_above"],
            # Contributions below this (log-odds) are not principal reasons (LoanRisk's ReasonWriter).
            "reason_floor": r.get("reason_floor", REASON_FLOOR),
            # Inputs without which no automatic approval is possible: a missing one routes an approve to review.
            "key_inputs": list(r.get("key_inputs", [])),
            "costs": r["costs"],
            **{k: v for k, v in cut.items() if k not in ("approve_below", "decline_at_or_above")},
            "rates_from": f"pooled out-of-fold predictions ({len(t.y)} rows x {s['repeats']} repeats) of the shipped "
                          f"configuration{', Platt-calibrated cross-fitted' if calibrated else ''}",
            "holdout": {"rows": int(len(chosen.held_y)),
                        **policy.evaluate(chosen.held_p, chosen.held_y, cut["approve_below"], cut["decline_at_or_above"], r["costs"])},
        },
        "score_scaling": chosen.scale,
        "metrics": {
            "cv": {"folds": s["folds"], "repeats": s["repeats"], "seed": t.seed, "stratified": True,
                   "rows": int(len(t.y)), "bad_rate": float(t.y.mean())},
            "definitions": {**DEFINITIONS, "per_fold": "out-of-fold predictions of the shipped configuration"
                            + (", Platt-calibrated cross-fitted (each fold's map fitted on the other folds of its repeat)" if calibrated else ""),
                            "missing_inputs": missingness.DEFINITION},
            "per_fold": predictions.predictions.per_fold,
            "mean": mean,
            "std": std,
            "comparison": predictions.comparison,
            "imbalance": predictions.imbalance,
            "calibration": model.calibration_entry,
            "search": searched.entry,
            "inputs_and_constraints": reported.inputs_and_constraints,
            "missing_inputs": reported.missing_inputs,
            "nested": searched.nested,
            "holdout": {"rows": int(len(chosen.held_y)), "bads": int(chosen.held_y.sum()), **holdout_metrics(chosen.held_y, chosen.held_p),
                        "note": "the held-out sample rows scored by the shipped model; few rows, so a sanity check only"},
            "reliability": metrics.reliability(y, p),
            "reliability_deciles": metrics.reliability_by_decile(y, p),
            "roc": metrics.roc_points(y, p),
        },
        "fairness": reported.fairness,
        "reference": {
            "binning": reference.BINNING,
            "source": "features: the training rows; probability and score: pooled out-of-fold predictions",
            "features": reference.features(t.raw, t.inputs),
            "probability": reference.numeric(p),
            "score": reference.numeric(reference.points(p, chosen.scale)),
        },
        "provenance": {
            "dataset_file": t.dataset_file,
            "dataset_sha256": data.sha256_file(t.data_path),
            "rows": t.file_rows,
            "rows_used": t.rows_used,
            "subsample": s["subsample"],
            "training_rows": int(len(t.y)),
            "holdout_rows": int(len(chosen.held_y)),
            "cleaning": t.cleaning,
            "dropped_columns": r.get("dropped_columns", {}),
            "lightgbm_version": lgb.__version__,
            "python_version": platform.python_version(),
            "libraries": {"numpy": np.__version__, "pandas": pd.__version__, "scikit-learn": sklearn.__version__,
                          "imbalanced-learn": imblearn.__version__},
            "parameters": model.params,
            "imbalance_method": predictions.method,
            "calibration": model.fold,
            "seed": t.seed,
            "model_sha256": data.sha256_file(model.path),
        },
    }


def holdout_metrics(y: np.ndarray, p: np.ndarray) -> dict:
    if y.min() == y.max():
        return {"brier": float(np.mean((p - y) ** 2)), "ece": metrics.ece(y, p)}
    return metrics.summary(y, p)


def write(path: Path, bundle: dict) -> None:
    path.write_text(json.dumps(bundle, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
