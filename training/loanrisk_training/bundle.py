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

from . import data, metrics, policy, reference

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


def assemble(b) -> dict:
    """`b` is the pipeline's Build: every result the bundle reports."""
    r, s = b.recipe, b.settings
    p, y = b.final_oof.pooled(b.y)
    mean, std = b.final_oof.mean_std()
    cut = b.cutoffs
    calibrated = b.calibration["apply"]
    return {
        "format_version": 1,
        "name": r["bundle_name"],
        "version": r["version"],
        "created": b.created,
        "title": r["title"],
        "description": r["description"],
        "target": {k: r["target"][k] for k in ("column", "positive_label", "definition")},
        "id_column": b.id_column,
        "features": b.feature_specs,
        "derived_features": r["derived_features"],
        "model_features": r["model_features"],
        "policy": {
            "approve_below": cut["approve_below"],
            "decline_at_or_above": cut["decline_at_or_above"],
            "costs": r["costs"],
            **{k: v for k, v in cut.items() if k not in ("approve_below", "decline_at_or_above")},
            "rates_from": f"pooled out-of-fold predictions ({len(b.y)} rows x {s['repeats']} repeats) of the shipped "
                          f"configuration{', Platt-calibrated cross-fitted' if calibrated else ''}",
            "holdout": {"rows": int(len(b.held_y)),
                        **policy.evaluate(b.held_p, b.held_y, cut["approve_below"], cut["decline_at_or_above"], r["costs"])},
        },
        "score_scaling": b.scale,
        "metrics": {
            "cv": {"folds": s["folds"], "repeats": s["repeats"], "seed": b.seed, "stratified": True,
                   "rows": int(len(b.y)), "bad_rate": float(b.y.mean())},
            "definitions": {**DEFINITIONS, "per_fold": "out-of-fold predictions of the shipped configuration"
                            + (", Platt-calibrated cross-fitted (each fold's map fitted on the other folds of its repeat)" if calibrated else "")},
            "per_fold": b.final_oof.per_fold,
            "mean": mean,
            "std": std,
            "comparison": b.comparison,
            "imbalance": b.imbalance,
            "calibration": b.calibration_entry,
            "search": b.search_entry,
            "nested": b.nested,
            "holdout": {"rows": int(len(b.held_y)), "bads": int(b.held_y.sum()), **holdout_metrics(b.held_y, b.held_p),
                        "note": "the held-out sample rows scored by the shipped model; few rows, so a sanity check only"},
            "reliability": metrics.reliability(y, p),
            "reliability_deciles": metrics.reliability_by_decile(y, p),
            "roc": metrics.roc_points(y, p),
        },
        "reference": {
            "binning": reference.BINNING,
            "source": "features: the training rows; probability and score: pooled out-of-fold predictions",
            "features": reference.features(b.raw, r["features"]),
            "probability": reference.numeric(p),
            "score": reference.numeric(reference.points(p, b.scale)),
        },
        "provenance": {
            "dataset_file": b.dataset_file,
            "dataset_sha256": data.sha256_file(b.data_path),
            "rows": b.file_rows,
            "rows_used": b.rows_used,
            "subsample": s["subsample"],
            "training_rows": int(len(b.y)),
            "holdout_rows": int(len(b.held_y)),
            "cleaning": b.cleaning,
            "dropped_columns": r.get("dropped_columns", {}),
            "lightgbm_version": lgb.__version__,
            "python_version": platform.python_version(),
            "libraries": {"numpy": np.__version__, "pandas": pd.__version__, "scikit-learn": sklearn.__version__,
                          "imbalanced-learn": imblearn.__version__},
            "parameters": b.final_params,
            "imbalance_method": b.imbalance["chosen"],
            "calibration": b.fold,
            "seed": b.seed,
            "model_sha256": data.sha256_file(b.model_path),
        },
    }


def holdout_metrics(y: np.ndarray, p: np.ndarray) -> dict:
    if y.min() == y.max():
        return {"brier": float(np.mean((p - y) ** 2)), "ece": metrics.ece(y, p)}
    return metrics.summary(y, p)


def write(path: Path, bundle: dict) -> None:
    path.write_text(json.dumps(bundle, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
