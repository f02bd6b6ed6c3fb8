"""The hyperparameter search: seeded random configs, scored by mean cross-validated ROC-AUC.

Each config is trained once per fold to the largest tree count and scored at every
checkpoint (`num_iteration`), so the number of trees is searched for free. The search uses
the folds of the first repeat only; the chosen config is then re-evaluated on all repeats.

`nested_check` repeats the whole search inside each outer fold (inner 3-fold CV on the outer
training rows) and scores the config it picks on the untouched outer fold: an estimate of the
AUC the *procedure* achieves, free of the optimism of picking the best of many configs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from . import lgbm, parallel
from .folds import Fold, inner_folds


def sample_configs(space: dict, trials: int, seed: int) -> list[dict]:
    """`trials` configs: the first takes every parameter's first value (the recipe's prior
    guess), the others draw each parameter independently. Duplicates are skipped."""
    rng = np.random.default_rng(seed)
    names = sorted(space)
    configs = [{n: space[n][0] for n in names}]
    attempts = 0
    while len(configs) < trials and attempts < 50 * trials:
        attempts += 1
        config = {n: space[n][int(rng.integers(len(space[n])))] for n in names}
        if config not in configs:
            configs.append(config)
    return configs


def _fold_aucs(frame: pd.DataFrame, y: np.ndarray, train: np.ndarray, test: np.ndarray, parameters: dict,
               checkpoints: list[int]) -> list[float]:
    booster = lgbm.train_rows(frame, y, parameters, max(checkpoints), train)
    rows = frame.iloc[test]
    return [float(roc_auc_score(y[test], lgbm.raw_scores(booster, rows, trees))) for trees in checkpoints]


def score_configs(frame: pd.DataFrame, y: np.ndarray, folds: list[Fold], configs: list[dict], checkpoints: list[int],
                  seed: int, threads: int, monotone: list[int] | None, workers: int = 1) -> list[dict]:
    """Mean and std of fold AUC for every (config, tree count)."""
    jobs = [(frame, y, f.train, f.test, lgbm.params(config, seed, threads, monotone), checkpoints) for config in configs for f in folds]
    aucs = np.array(parallel.run(_fold_aucs, jobs, workers)).reshape(len(configs), len(folds), len(checkpoints))
    results = []
    for i, config in enumerate(configs):
        for c, trees in enumerate(checkpoints):
            column = aucs[i, :, c]
            results.append({"config": i, "params": {**config, "n_estimators": trees}, "roc_auc": float(column.mean()),
                            "roc_auc_std": float(column.std(ddof=1)) if len(folds) > 1 else 0.0})
    return results


def best(results: list[dict]) -> dict:
    """Highest mean AUC; ties go to fewer trees, then the earlier config."""
    return max(results, key=lambda r: (round(r["roc_auc"], 12), -r["params"]["n_estimators"], -r["config"]))


def nested_check(frame: pd.DataFrame, y: np.ndarray, outer: list[Fold], configs: list[dict], checkpoints: list[int],
                 seed: int, threads: int, monotone: list[int] | None, workers: int = 1, inner: int = 3) -> dict:
    rows = []
    for f in outer:
        sub = frame.iloc[f.train]
        folds = inner_folds(y[f.train], inner, seed + 1 + f.fold)
        pick = best(score_configs(sub, y[f.train], folds, configs, checkpoints, seed, threads, monotone, workers))
        booster = lgbm.train(sub, y[f.train], lgbm.params(pick["params"], seed, threads, monotone), pick["params"]["n_estimators"])
        auc = roc_auc_score(y[f.test], booster.predict(frame.iloc[f.test]))
        rows.append({"fold": f.fold, "roc_auc": float(auc), "inner_roc_auc": pick["roc_auc"], "config": pick["config"],
                     "n_estimators": pick["params"]["n_estimators"]})
    aucs = [r["roc_auc"] for r in rows]
    return {"method": f"outer: the {len(outer)} folds of repeat 0; inner: {inner}-fold CV over the same {len(configs)} configs "
                      f"and tree counts on each outer training part; the picked config is refit there and scored on the outer fold",
            "per_fold": rows, "roc_auc": float(np.mean(aucs)), "roc_auc_std": float(np.std(aucs, ddof=1)) if len(aucs) > 1 else 0.0}


def entry(space: dict, checkpoints: list[int], configs: list[dict], results: list[dict], chosen: dict, folds: int) -> dict:
    """The `metrics.search` entry of bundle.json."""
    top = sorted(results, key=lambda r: -r["roc_auc"])[:10]
    return {
        "strategy": f"{len(configs)} seeded random configs (the first is the recipe's prior), each scored by mean ROC-AUC over "
                    f"the {folds} folds of repeat 0 at {len(checkpoints)} tree counts; the best (config, trees) is "
                    "re-evaluated on all repeats (per_fold); `nested` gives a selection-free estimate",
        "space": space,
        "checkpoints": checkpoints,
        "chosen": chosen["params"],
        "chosen_roc_auc_repeat0": chosen["roc_auc"],
        "top": [{"params": r["params"], "roc_auc": r["roc_auc"], "roc_auc_std": r["roc_auc_std"]} for r in top],
    }
