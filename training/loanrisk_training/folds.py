"""Repeated stratified folds, shared by every comparison, and the out-of-fold runner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold

from . import metrics, parallel


@dataclass(frozen=True)
class Fold:
    repeat: int
    fold: int
    train: np.ndarray
    test: np.ndarray


def repeated_folds(y: np.ndarray, folds: int, repeats: int, seed: int) -> list[Fold]:
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    return [Fold(k // folds, k % folds, train, test) for k, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y))]


def inner_folds(y: np.ndarray, folds: int, seed: int) -> list[Fold]:
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return [Fold(0, k, train, test) for k, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y))]


@dataclass
class OutOfFold:
    """Predictions of one learner on every fold: `p[r]` is repeat r's out-of-fold vector."""
    folds: list[Fold]
    p: np.ndarray                 # repeats x rows
    per_fold: list[dict]          # {repeat, fold, roc_auc, gini, ks, brier, ece}

    def pooled(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All repeats' out-of-fold predictions stacked, with the matching labels."""
        return self.p.reshape(-1), np.tile(y, self.p.shape[0])

    def mean_std(self) -> tuple[dict, dict]:
        return metrics.mean_std(self.per_fold)


Learner = Callable[[np.ndarray, np.ndarray], np.ndarray]   # (train rows, test rows) -> p(test)


def out_of_fold(learner: Learner, y: np.ndarray, folds: list[Fold], workers: int = 1) -> OutOfFold:
    """Every fold's test rows predicted by the learner trained on its train rows (in parallel
    processes when workers > 1; the learner must then be picklable by cloudpickle)."""
    repeats = max(f.repeat for f in folds) + 1
    p = np.full((repeats, len(y)), np.nan)
    for f, predicted in zip(folds, parallel.run(learner, [(f.train, f.test) for f in folds], workers)):
        p[f.repeat, f.test] = predicted
    per_fold = [{"repeat": f.repeat, "fold": f.fold, **metrics.summary(y[f.test], p[f.repeat, f.test])} for f in folds]
    return OutOfFold(folds, p, per_fold)
