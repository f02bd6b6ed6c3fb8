"""What the bundle's defensibility costs: the shipped configuration beside the same
configuration without its monotone constraints, with the protected columns as inputs (the
model a lender could not use), and with age left out — all on the same folds, AUC paired
against the shipped model, so the cost of each choice is measured, not assumed."""

from __future__ import annotations

import pandas as pd

from . import derived, lgbm, metrics
from .folds import OutOfFold, out_of_fold


def _run(t, folds, params: dict, trees: int, model_features: list[str], monotone: list[int], workers: int) -> OutOfFold:
    frame = derived.model_frame(pd.concat([t.raw, t.protected_raw], axis=1), t.recipe["derived_features"], model_features)
    plain = lgbm.unconstrained(params)
    configured = lgbm.params(plain, t.seed, plain["num_threads"], monotone)
    return out_of_fold(lgbm.learner(frame, t.y, configured, trees), t.y, folds, workers)


def compare(t, folds, params: dict, trees: int, shipped: OutOfFold, workers: int) -> list[dict]:
    """The `metrics.inputs_and_constraints` table. `shipped` are the shipped configuration's
    uncalibrated out-of-fold predictions without imbalance handling, `params` its LightGBM
    parameters: every variant is that configuration with other inputs or constraints."""
    features, mono = list(t.recipe["model_features"]), list(t.monotone)
    barred = [f["name"] for f in t.recipe["features"] if f.get("role") == "protected"]
    age = (t.recipe.get("age") or {}).get("column")
    runs: list[tuple[str, str, OutOfFold]] = [("shipped", "the shipped inputs and monotone constraints", shipped)]
    if any(mono):
        runs.append(("without_monotone_constraints", "the shipped inputs, no monotone constraints",
                     _run(t, folds.all, params, trees, features, [0] * len(features), workers)))
    if barred:
        runs.append(("with_protected_inputs", f"the shipped inputs plus {', '.join(barred)} (not lawful to use)",
                     _run(t, folds.all, params, trees, features + barred, mono + [0] * len(barred), workers)))
    if age and age in features:
        keep = [i for i, m in enumerate(features) if m != age]
        runs.append(("age_excluded", f"the shipped inputs without {age}",
                     _run(t, folds.all, params, trees, [features[i] for i in keep], [mono[i] for i in keep], workers)))
    table = []
    for name, setup, oof in runs:
        mean, std = oof.mean_std()
        gain, se = metrics.paired_auc_difference(shipped.per_fold, oof.per_fold)
        table.append({"variant": name, "setup": setup, **mean, "roc_auc_std": std["roc_auc"],
                      "auc_vs_shipped": gain, "auc_vs_shipped_se": se})
    return table


def monotone_map(t) -> dict[str, int]:
    """{model feature: +1 | -1} for the constrained features, in model order."""
    return {m: int(c) for m, c in zip(t.recipe["model_features"], t.monotone) if c}
