"""What each stage of a build hands the next, typed, so each can be read and tested alone:

    TrainingData -> Folds -> SearchResult -> OutOfFoldResult -> FinalModel -> PolicyResult -> ReportResult -> bundle.json

`pipeline.build` runs them in order; `bundle.assemble` reads only these records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .data import Dataset
from .folds import Fold, OutOfFold
from .recipe import inputs


@dataclass(frozen=True)
class TrainingData:
    """Stages 1-2: the recipe's rows, cleaned, with the sample rows held out, as the
    training frame the derived-feature executor builds."""
    recipe: dict
    settings: dict
    seed: int
    id_column: str
    data_path: Path
    dataset_file: str
    cleaning: dict
    file_rows: int
    rows_used: int
    dev: Dataset
    held: Dataset
    categories: dict[str, list[str]]
    raw: pd.DataFrame
    frame: pd.DataFrame
    y: np.ndarray
    # The protected columns of the training rows, typed like `raw`: for the fairness report.
    protected_raw: pd.DataFrame
    # Per model feature: +1 risk never lower as it rises, -1 never higher, 0 free.
    monotone: list[int]

    @property
    def inputs(self) -> list[dict]:
        """The recipe's columns that the applicant supplies and the model may use."""
        return inputs(self.recipe)

    @property
    def spec(self) -> dict:
        return {"derived_features": self.recipe["derived_features"], "model_features": self.recipe["model_features"]}


@dataclass(frozen=True)
class Folds:
    """The repeated stratified folds every comparison uses, and repeat 0's for the search."""
    all: list[Fold]
    first: list[Fold]


@dataclass(frozen=True)
class SearchResult:
    """Stage 3: the chosen LightGBM configuration, the search's report and its nested check."""
    params: dict
    trees: int
    entry: dict
    nested: dict | None


@dataclass(frozen=True)
class OutOfFoldResult:
    """Stages 4-6 on the same folds: imbalance handling chosen, calibration measured, the
    shipped configuration's out-of-fold predictions, and the other algorithms beside it."""
    imbalance: dict
    method: str
    calibration: dict
    predictions: OutOfFold
    comparison: list[dict]
    # The shipped configuration without imbalance handling or calibration: the base of the
    # report's comparisons of inputs and constraints.
    plain: OutOfFold


@dataclass(frozen=True)
class FinalModel:
    """Stage 7: model.txt as written (and re-verified), its parameters and folded calibration."""
    path: Path
    params: dict
    fold: dict | None
    calibration_entry: dict


@dataclass(frozen=True)
class PolicyResult:
    """Stage 8: the features as bundle.json describes them, the cut-offs on the pooled
    out-of-fold predictions, the score scale, and the held-out rows' probabilities."""
    feature_specs: list[dict]
    cutoffs: dict
    scale: dict
    held_p: np.ndarray
    held_y: np.ndarray


@dataclass(frozen=True)
class ReportResult:
    """Stage 9: what the model's defensibility costs, how its policy treats protected groups,
    and what a missing input does to its risk (`missingness`)."""
    inputs_and_constraints: list[dict]
    monotone: dict[str, int]
    fairness: dict
    missing_inputs: list[dict]
